#!/usr/bin/env python3
"""Checks that our Temporal API subset in Proto/ is wire-identical to upstream.

Upstream = the descriptors compiled into the `_pb2` modules of the installed PyPI package `temporalio`
(an independent source from the .proto files Proto/prune.py reads). Ours = `protoc --descriptor_set_out`
of every .proto file under Proto/.

For every file of ours: the file exists upstream with the same package; every message (nested ones and
map entries included) exists upstream under the same full name; every field matches upstream in name,
number, type, type_name, label, oneof and proto3 `optional`; every enum exists and each of our values
has the same number upstream. google/rpc/status.proto is compared with the same shape shipped by
temporalio as temporal.api.common.v1.GrpcStatus.

A self-check first runs the same comparison on temp copies of Proto/ with deliberate mistakes (a wrong
field number, a wrong field type, a wrong enum value number) and requires each to be caught.

Prints one line per checked file and ends with `conformance: N passed, M failed`; exits 1 on failures.
Usage: conformance_test.py [--proto-dir DIR] [--no-self-check]
"""
from __future__ import annotations

import argparse
import importlib
import os
import re
import shutil
import subprocess
import sys
import tempfile

from google.protobuf import descriptor_pb2

FieldProto = descriptor_pb2.FieldDescriptorProto
HERE = os.path.dirname(os.path.abspath(__file__))

# Our hand-written google.rpc.Status has the shape of temporalio's copy of it.
STATUS_FILE = "google/rpc/status.proto"
STATUS_REFERENCE = ("temporalio.api.common.v1.grpc_status_pb2", "GrpcStatus")


class Results:
    def __init__(self) -> None:
        self.passed = 0
        self.failures: list[str] = []

    def check(self, ok: bool, what: str) -> None:
        if ok:
            self.passed += 1
        else:
            self.failures.append(what)


def compile_subset(proto_dir: str) -> descriptor_pb2.FileDescriptorSet:
    files = sorted(
        os.path.relpath(os.path.join(d, n), proto_dir)
        for d, _, names in os.walk(proto_dir)
        for n in names
        if n.endswith(".proto")
    )
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "subset.pb")
        subprocess.run(["protoc", "-I", proto_dir, f"--descriptor_set_out={out}", *files], check=True, cwd=proto_dir)
        fds = descriptor_pb2.FileDescriptorSet()
        with open(out, "rb") as f:
            fds.ParseFromString(f.read())
    return fds


def upstream_file(name: str) -> descriptor_pb2.FileDescriptorProto | None:
    """The upstream FileDescriptorProto of `temporal/api/.../x.proto`, from temporalio's x_pb2 module."""
    module_name = "temporalio.api." + name[len("temporal/api/"):-len(".proto")].replace("/", ".") + "_pb2"
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    proto = descriptor_pb2.FileDescriptorProto()
    module.DESCRIPTOR.CopyToProto(proto)
    return proto


def index(file: descriptor_pb2.FileDescriptorProto):
    """Messages and enums of a file by full name (with the leading dot used in type_name)."""
    messages, enums = {}, {}

    def add(prefix, message):
        name = f"{prefix}.{message.name}"
        messages[name] = message
        for nested in message.nested_type:
            add(name, nested)
        for enum in message.enum_type:
            enums[f"{name}.{enum.name}"] = enum

    for message in file.message_type:
        add(f".{file.package}", message)
    for enum in file.enum_type:
        enums[f".{file.package}.{enum.name}"] = enum
    return messages, enums


def field_signature(message, field) -> tuple:
    oneof = message.oneof_decl[field.oneof_index].name if field.HasField("oneof_index") else None
    return (
        field.name,
        field.number,
        FieldProto.Type.Name(field.type),
        field.type_name,
        FieldProto.Label.Name(field.label),
        oneof,
        field.proto3_optional,
    )


def compare_messages(ours, theirs, ours_name, results: Results, rename=None) -> None:
    """Every field of `ours` must exist in `theirs` with the same signature (matched by name)."""
    upstream_fields = {f.name: f for f in theirs.field}
    for field in ours.field:
        what = f"{ours_name}.{field.name}"
        other = upstream_fields.get(field.name)
        if other is None:
            results.check(False, f"{what}: no such field upstream")
            continue
        mine = field_signature(ours, field)
        expected = field_signature(theirs, other)
        if rename:
            expected = tuple(rename(v) if isinstance(v, str) else v for v in expected)
        results.check(mine == expected, f"{what}: ours {mine} != upstream {expected}")


def compare_file(ours: descriptor_pb2.FileDescriptorProto, results: Results) -> str:
    before_passed, before_failed = results.passed, len(results.failures)
    if ours.name == STATUS_FILE:
        module_name, message_name = STATUS_REFERENCE
        reference = descriptor_pb2.FileDescriptorProto()
        importlib.import_module(module_name).DESCRIPTOR.CopyToProto(reference)
        [status] = [m for m in ours.message_type if m.name == "Status"]
        [theirs] = [m for m in reference.message_type if m.name == message_name]
        results.check(ours.package == "google.rpc", f"{ours.name}: package {ours.package} != google.rpc")
        results.check(
            len(status.field) == len(theirs.field), f"{ours.name}: google.rpc.Status has {len(status.field)} fields"
        )
        compare_messages(status, theirs, ".google.rpc.Status", results)
    else:
        upstream = upstream_file(ours.name)
        if upstream is None:
            results.check(False, f"{ours.name}: no such file upstream")
            return summary_line(ours.name, results, before_passed, before_failed)
        results.check(ours.package == upstream.package, f"{ours.name}: package {ours.package} != {upstream.package}")
        our_messages, our_enums = index(ours)
        their_messages, their_enums = index(upstream)
        for name, message in our_messages.items():
            theirs = their_messages.get(name)
            results.check(theirs is not None, f"{name}: no such message upstream")
            if theirs is None:
                continue
            results.check(
                message.options.map_entry == theirs.options.map_entry, f"{name}: map entry differs from upstream"
            )
            compare_messages(message, theirs, name, results)
        for name, enum in our_enums.items():
            theirs = their_enums.get(name)
            results.check(theirs is not None, f"{name}: no such enum upstream")
            if theirs is None:
                continue
            upstream_values = {v.name: v.number for v in theirs.value}
            for value in enum.value:
                results.check(
                    upstream_values.get(value.name) == value.number,
                    f"{name}.{value.name} = {value.number}: upstream has {upstream_values.get(value.name)}",
                )
    return summary_line(ours.name, results, before_passed, before_failed)


def summary_line(name: str, results: Results, before_passed: int, before_failed: int) -> str:
    passed = results.passed - before_passed
    failed = len(results.failures) - before_failed
    status = "ok  " if failed == 0 else "FAIL"
    return f"{status} {name}: {passed} passed, {failed} failed"


def run(proto_dir: str, results: Results, verbose: bool) -> None:
    try:
        subset = compile_subset(proto_dir)
    except subprocess.CalledProcessError:
        results.check(False, f"protoc cannot compile {proto_dir}")
        if verbose:
            print(f"FAIL {proto_dir}: protoc cannot compile it")
        return
    for file in sorted(subset.file, key=lambda f: f.name):
        line = compare_file(file, results)
        if verbose:
            print(line)


# Deliberate mistakes for the self-check: (file, pattern, replacement, description).
MUTATIONS = [
    ("temporal/api/common/v1/message.proto", r"string run_id = 2;", "string run_id = 12;", "wrong field number"),
    ("temporal/api/common/v1/message.proto", r"string workflow_id = 1;", "int64 workflow_id = 1;", "wrong field type"),
    ("temporal/api/enums/v1/event_type.proto", r"EVENT_TYPE_TIMER_STARTED = 17;", "EVENT_TYPE_TIMER_STARTED = 999;",
     "wrong enum value number"),
]


def self_check(proto_dir: str) -> tuple[int, list[str]]:
    passed, failures = 0, []
    for file, pattern, replacement, description in MUTATIONS:
        with tempfile.TemporaryDirectory() as tmp:
            copy = os.path.join(tmp, "Proto")
            shutil.copytree(proto_dir, copy, ignore=shutil.ignore_patterns("*.py", "*.sh", "__pycache__"))
            path = os.path.join(copy, file)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            mutated, count = re.subn(re.escape(pattern), replacement, text, count=1)
            if count != 1:
                failures.append(f"self-check: cannot apply '{description}' (pattern not found in {file})")
                continue
            with open(path, "w", encoding="utf-8") as f:
                f.write(mutated)
            results = Results()
            run(copy, results, verbose=False)
            if results.failures:
                passed += 1
                print(f"ok   self-check: {description} in a temp copy is detected ({results.failures[0]})")
            else:
                failures.append(f"self-check: {description} in a temp copy was NOT detected")
                print(f"FAIL self-check: {description} in a temp copy was NOT detected")
    return passed, failures


def main() -> int:
    parser = argparse.ArgumentParser(description="Check Proto/ against temporalio's upstream descriptors.")
    parser.add_argument("--proto-dir", default=HERE)
    parser.add_argument("--no-self-check", action="store_true")
    args = parser.parse_args()

    results = Results()
    if not args.no_self_check:
        passed, failures = self_check(args.proto_dir)
        results.passed += passed
        results.failures += failures
    run(args.proto_dir, results, verbose=True)
    for failure in results.failures:
        print(f"  mismatch: {failure}")
    print(f"conformance: {results.passed} passed, {len(results.failures)} failed")
    return 1 if results.failures else 0


if __name__ == "__main__":
    sys.exit(main())
