#!/usr/bin/env python3
"""Writes the subset of the Temporal API that OrderFlow's bridge uses as .proto files under Proto/.

The upstream schema is the set of .proto files shipped in the PyPI package `temporalio`
(bridge/sdk-core/crates/protos/protos/api_upstream). This script compiles them with protoc into a
FileDescriptorSet, starts from the root messages a worker + client for plain workflows, activities,
timers, signals, queries and cancellation need, follows field types transitively and drops every
field that belongs to a newer feature (deployments, versioning, nexus, links, priority, callbacks,
updates, pause, ...). What remains keeps the upstream file path, package, message names, field
names, numbers, types and labels, so the wire format is the upstream one; enums are kept whole.

Usage: prune.py [--upstream DIR] [--out DIR] [--report]
The output is deterministic: running it twice gives byte-identical files.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field

from google.protobuf import descriptor_pb2

FieldProto = descriptor_pb2.FieldDescriptorProto

WORKFLOW_SERVICE_RPCS = [
    "GetSystemInfo",
    "DescribeNamespace",
    "StartWorkflowExecution",
    "SignalWorkflowExecution",
    "SignalWithStartWorkflowExecution",
    "QueryWorkflow",
    "DescribeWorkflowExecution",
    "RequestCancelWorkflowExecution",
    "TerminateWorkflowExecution",
    "GetWorkflowExecutionHistory",
    "PollWorkflowTaskQueue",
    "RespondWorkflowTaskCompleted",
    "RespondWorkflowTaskFailed",
    "RespondQueryTaskCompleted",
    "PollActivityTaskQueue",
    "RecordActivityTaskHeartbeat",
    "RespondActivityTaskCompleted",
    "RespondActivityTaskFailed",
    "RespondActivityTaskCanceled",
    "ListWorkflowExecutions",
    "ShutdownWorker",
    "RecordWorkerHeartbeat",
    "ListWorkers",
    "DescribeWorker",
]

# Root messages besides the RPC requests/responses. Every message of errordetails/v1 is a root too
# (they arrive as google.protobuf.Any inside grpc-status-details-bin).
EXTRA_ROOTS = [
    "temporal.api.history.v1.History",
    "temporal.api.history.v1.HistoryEvent",
    "temporal.api.command.v1.Command",
    "temporal.api.failure.v1.Failure",
    "temporal.api.query.v1.WorkflowQuery",
    "temporal.api.query.v1.WorkflowQueryResult",
    "temporal.api.sdk.v1.WorkflowMetadata",
    "temporal.api.sdk.v1.WorkflowDefinition",
    "temporal.api.sdk.v1.WorkflowInteractionDefinition",
]
ROOT_FILES = ["temporal/api/errordetails/v1/message.proto"]

# Oneofs whose members are chosen explicitly: only these members survive.
ONEOF_MEMBERS = {
    ("temporal.api.history.v1.HistoryEvent", "attributes"): {
        # workflow execution
        "workflow_execution_started_event_attributes",
        "workflow_execution_completed_event_attributes",
        "workflow_execution_failed_event_attributes",
        "workflow_execution_timed_out_event_attributes",
        "workflow_execution_signaled_event_attributes",
        "workflow_execution_terminated_event_attributes",
        "workflow_execution_cancel_requested_event_attributes",
        "workflow_execution_canceled_event_attributes",
        "workflow_execution_continued_as_new_event_attributes",
        # workflow task
        "workflow_task_scheduled_event_attributes",
        "workflow_task_started_event_attributes",
        "workflow_task_completed_event_attributes",
        "workflow_task_timed_out_event_attributes",
        "workflow_task_failed_event_attributes",
        # activity task
        "activity_task_scheduled_event_attributes",
        "activity_task_started_event_attributes",
        "activity_task_completed_event_attributes",
        "activity_task_failed_event_attributes",
        "activity_task_timed_out_event_attributes",
        "activity_task_cancel_requested_event_attributes",
        "activity_task_canceled_event_attributes",
        # timer, marker, search attributes
        "timer_started_event_attributes",
        "timer_fired_event_attributes",
        "timer_canceled_event_attributes",
        "marker_recorded_event_attributes",
        "upsert_workflow_search_attributes_event_attributes",
        # external cancel / signal
        "request_cancel_external_workflow_execution_initiated_event_attributes",
        "request_cancel_external_workflow_execution_failed_event_attributes",
        "external_workflow_execution_cancel_requested_event_attributes",
        "signal_external_workflow_execution_initiated_event_attributes",
        "signal_external_workflow_execution_failed_event_attributes",
        "external_workflow_execution_signaled_event_attributes",
        # child workflows
        "start_child_workflow_execution_initiated_event_attributes",
        "start_child_workflow_execution_failed_event_attributes",
        "child_workflow_execution_started_event_attributes",
        "child_workflow_execution_completed_event_attributes",
        "child_workflow_execution_failed_event_attributes",
        "child_workflow_execution_canceled_event_attributes",
        "child_workflow_execution_timed_out_event_attributes",
        "child_workflow_execution_terminated_event_attributes",
    },
    ("temporal.api.command.v1.Command", "attributes"): {
        "schedule_activity_task_command_attributes",
        "request_cancel_activity_task_command_attributes",
        "start_timer_command_attributes",
        "cancel_timer_command_attributes",
        "complete_workflow_execution_command_attributes",
        "fail_workflow_execution_command_attributes",
        "cancel_workflow_execution_command_attributes",
        "continue_as_new_workflow_execution_command_attributes",
        "record_marker_command_attributes",
        "upsert_workflow_search_attributes_command_attributes",
    },
    ("temporal.api.failure.v1.Failure", "failure_info"): {
        "application_failure_info",
        "timeout_failure_info",
        "canceled_failure_info",
        "terminated_failure_info",
        "server_failure_info",
        "reset_workflow_failure_info",
        "activity_failure_info",
        "child_workflow_execution_failure_info",
    },
}

# Fields whose type lives here belong to features we do not use.
DROPPED_TYPE_PREFIXES = (
    "temporal.api.activity.",
    "temporal.api.batch.",
    "temporal.api.callback.",
    "temporal.api.compute.",
    "temporal.api.deployment.",
    "temporal.api.nexus.",
    "temporal.api.protocol.",
    "temporal.api.replication.",
    "temporal.api.rules.",
    "temporal.api.schedule.",
    "temporal.api.update.",
    "temporal.api.worker.v1.EnvironmentInfo",
    "temporal.api.worker.v1.PluginInfo",
    "temporal.api.worker.v1.StorageDriverInfo",
    "temporal.api.common.v1.Callback",
    "temporal.api.common.v1.Link",
    "temporal.api.common.v1.Principal",
    "temporal.api.common.v1.Priority",
    "temporal.api.common.v1.TimeSkippingConfig",
    "temporal.api.common.v1.WorkerVersion",
    "temporal.api.enums.v1.VersioningBehavior",
    "temporal.api.sdk.v1.EventGroupMarker",
    "temporal.api.taskqueue.v1.BuildIdAssignmentRule",
    "temporal.api.taskqueue.v1.PollerGroup",
    "temporal.api.taskqueue.v1.PollerScalingDecision",
    "temporal.api.workflow.v1.CallbackInfo",
    "temporal.api.workflow.v1.NexusOperationCancellationInfo",
    "temporal.api.workflow.v1.OnConflictOptions",
    "temporal.api.workflow.v1.PendingNexusOperationInfo",
    "temporal.api.workflow.v1.PostResetOperation",
    "temporal.api.workflow.v1.VersioningOverride",
    "temporal.api.workflow.v1.WorkflowExecutionVersioningInfo",
    "temporal.api.history.v1.DeclinedTargetVersionUpgrade",
)
# Single fields we do not use although their type is kept: a workflow task handed back inline
# (return_new_workflow_task), which this worker never asks for.
DROPPED_FIELDS = {
    ("temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedResponse", "workflow_task"),
}
# Fields kept although their name matches DROPPED_NAME: eager activity dispatch, which the worker uses.
KEPT_FIELDS = {
    ("temporal.api.command.v1.ScheduleActivityTaskCommandAttributes", "request_eager_execution"),
    ("temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedResponse", "activity_tasks"),
}
# Field names that belong to newer features.
DROPPED_NAME = re.compile(
    r"(deployment|versioning|build_id|worker_version|nexus|callback|link|priority|pause|"
    r"poller_group|poller_scaling|resource_id|time_skipping|worker_control_task_queue|"
    r"eager|update_|_update|completion_buffer)"
)


@dataclass
class Kept:
    """What survives of one upstream message."""

    fields: list = field(default_factory=list)
    omitted: list = field(default_factory=list)


def find_upstream() -> str:
    import temporalio  # noqa: PLC0415 (only needed when --upstream is not given)

    return os.path.join(
        os.path.dirname(temporalio.__file__), "bridge", "sdk-core", "crates", "protos", "protos", "api_upstream"
    )


def temporalio_version() -> str:
    try:
        from importlib.metadata import version  # noqa: PLC0415

        return version("temporalio")
    except Exception:  # noqa: BLE001 (informational only)
        return "unknown"


def compile_upstream(upstream: str) -> descriptor_pb2.FileDescriptorSet:
    files = [
        "temporal/api/workflowservice/v1/request_response.proto",
        "temporal/api/errordetails/v1/message.proto",
        "temporal/api/sdk/v1/workflow_metadata.proto",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "upstream.pb")
        subprocess.run(
            ["protoc", "-I", upstream, "--include_imports", f"--descriptor_set_out={out}", *files], check=True
        )
        fds = descriptor_pb2.FileDescriptorSet()
        with open(out, "rb") as f:
            fds.ParseFromString(f.read())
    return fds


class Schema:
    """Index of every message and enum of a FileDescriptorSet by full name (no leading dot)."""

    def __init__(self, fds: descriptor_pb2.FileDescriptorSet):
        self.files = {f.name: f for f in fds.file}
        self.messages: dict[str, tuple] = {}  # name -> (DescriptorProto, file name, parent name or None)
        self.enums: dict[str, tuple] = {}
        for f in fds.file:
            for m in f.message_type:
                self._add_message(f"{f.package}.{m.name}", m, f.name, None)
            for e in f.enum_type:
                self.enums[f"{f.package}.{e.name}"] = (e, f.name, None)

    def _add_message(self, name, m, file_name, parent):
        self.messages[name] = (m, file_name, parent)
        for n in m.nested_type:
            self._add_message(f"{name}.{n.name}", n, file_name, name)
        for e in m.enum_type:
            self.enums[f"{name}.{e.name}"] = (e, file_name, name)

    def is_map_entry(self, name: str) -> bool:
        return self.messages[name][0].options.map_entry


def is_dropped_field(message_name: str, m, fld) -> bool:
    if (message_name, fld.name) in KEPT_FIELDS:
        return False
    if fld.options.deprecated or (message_name, fld.name) in DROPPED_FIELDS:
        return True
    if fld.HasField("oneof_index") and not fld.proto3_optional:
        chosen = ONEOF_MEMBERS.get((message_name, m.oneof_decl[fld.oneof_index].name))
        if chosen is not None:
            return fld.name not in chosen
    type_name = fld.type_name.lstrip(".")
    if type_name and type_name.startswith(DROPPED_TYPE_PREFIXES):
        return True
    return bool(DROPPED_NAME.search(fld.name))


def select(schema: Schema) -> tuple[dict[str, Kept], set[str]]:
    roots = [f"temporal.api.workflowservice.v1.{rpc}{kind}" for rpc in WORKFLOW_SERVICE_RPCS for kind in ("Request", "Response")]
    roots += EXTRA_ROOTS
    for file_name in ROOT_FILES:
        f = schema.files[file_name]
        roots += [f"{f.package}.{m.name}" for m in f.message_type]
    kept: dict[str, Kept] = {}
    enums: set[str] = set()
    queue = list(roots)
    while queue:
        name = queue.pop()
        if name in kept or name.startswith("google.protobuf."):
            continue
        m, _, parent = schema.messages[name]
        k = kept[name] = Kept()
        if parent is not None and parent not in kept:
            queue.append(parent)  # a nested type needs its enclosing message
        for fld in m.field:
            if is_dropped_field(name, m, fld):
                k.omitted.append(fld)
                continue
            k.fields.append(fld)
            type_name = fld.type_name.lstrip(".")
            if fld.type == FieldProto.TYPE_ENUM:
                enums.add(type_name)
                _, _, enum_parent = schema.enums[type_name]
                if enum_parent is not None:
                    queue.append(enum_parent)
            elif fld.type == FieldProto.TYPE_MESSAGE:
                queue.append(type_name)
    return kept, enums


SCALAR_NAMES = {
    FieldProto.TYPE_DOUBLE: "double",
    FieldProto.TYPE_FLOAT: "float",
    FieldProto.TYPE_INT64: "int64",
    FieldProto.TYPE_UINT64: "uint64",
    FieldProto.TYPE_INT32: "int32",
    FieldProto.TYPE_FIXED64: "fixed64",
    FieldProto.TYPE_FIXED32: "fixed32",
    FieldProto.TYPE_BOOL: "bool",
    FieldProto.TYPE_STRING: "string",
    FieldProto.TYPE_BYTES: "bytes",
    FieldProto.TYPE_UINT32: "uint32",
    FieldProto.TYPE_SFIXED32: "sfixed32",
    FieldProto.TYPE_SFIXED64: "sfixed64",
    FieldProto.TYPE_SINT32: "sint32",
    FieldProto.TYPE_SINT64: "sint64",
}


class Writer:
    """Renders the kept part of one upstream file as proto3 source."""

    def __init__(self, schema: Schema, kept: dict[str, Kept], enums: set[str], file_name: str, version: str):
        self.schema, self.kept, self.enums, self.version = schema, kept, enums, version
        self.file = schema.files[file_name]
        self.imports: set[str] = set()
        self.body: list[str] = []

    def type_ref(self, fld) -> str:
        if fld.type in SCALAR_NAMES:
            return SCALAR_NAMES[fld.type]
        name = fld.type_name.lstrip(".")
        table = self.schema.messages if fld.type == FieldProto.TYPE_MESSAGE else self.schema.enums
        file_name = table[name][1]
        if file_name != self.file.name:
            self.imports.add(file_name)
        return "." + name

    def field_line(self, fld) -> str:
        type_name = fld.type_name.lstrip(".")
        if fld.type == FieldProto.TYPE_MESSAGE and self.schema.is_map_entry(type_name):
            entry = self.schema.messages[type_name][0]
            key, value = entry.field[0], entry.field[1]
            return f"map<{self.type_ref(key)}, {self.type_ref(value)}> {fld.name} = {fld.number};"
        label = ""
        if fld.label == FieldProto.LABEL_REPEATED:
            label = "repeated "
        elif fld.proto3_optional:
            label = "optional "
        return f"{label}{self.type_ref(fld)} {fld.name} = {fld.number};"

    def message(self, name: str, indent: str):
        m = self.schema.messages[name][0]
        k = self.kept[name]
        lines = [f"{indent}message {m.name} {{"]
        inner = indent + "  "
        emitted_oneofs = set()
        for fld in k.fields:
            if fld.HasField("oneof_index") and not fld.proto3_optional:
                index = fld.oneof_index
                if index in emitted_oneofs:
                    continue
                emitted_oneofs.add(index)
                lines.append(f"{inner}oneof {m.oneof_decl[index].name} {{")
                for member in k.fields:
                    if member.HasField("oneof_index") and member.oneof_index == index and not member.proto3_optional:
                        lines.append(f"{inner}  {self.field_line(member)}")
                lines.append(f"{inner}}}")
            else:
                lines.append(f"{inner}{self.field_line(fld)}")
        for nested in m.nested_type:
            nested_name = f"{name}.{nested.name}"
            if nested_name in self.kept and not nested.options.map_entry:
                lines += self.message(nested_name, inner)
        for e in m.enum_type:
            if f"{name}.{e.name}" in self.enums:
                lines += self.enum(e, inner)
        if k.omitted:
            omitted = ", ".join(f"{f.number} {f.name}" for f in sorted(k.omitted, key=lambda f: f.number))
            lines.append(f"{inner}// omitted upstream fields: {omitted}")
        lines.append(f"{indent}}}")
        return lines

    def enum(self, e, indent: str):
        lines = [f"{indent}enum {e.name} {{"]
        if e.options.allow_alias:
            lines.append(f"{indent}  option allow_alias = true;")
        lines += [f"{indent}  {v.name} = {v.number};" for v in e.value]
        lines.append(f"{indent}}}")
        return lines

    def render(self) -> str | None:
        package = self.file.package
        blocks = []
        for m in self.file.message_type:
            if f"{package}.{m.name}" in self.kept:
                blocks.append(self.message(f"{package}.{m.name}", ""))
        for e in self.file.enum_type:
            if f"{package}.{e.name}" in self.enums:
                blocks.append(self.enum(e, ""))
        if not blocks:
            return None
        out = [
            f"// Subset of the upstream Temporal API file {self.file.name} (PyPI temporalio {self.version}).",
            "// Generated by Proto/prune.py: do not edit by hand; field names, numbers and types are upstream's.",
            "",
            'syntax = "proto3";',
            "",
            f"package {package};",
            "",
        ]
        if self.imports:
            out += [f'import "{i}";' for i in sorted(self.imports)] + [""]
        for block in blocks:
            out += block + [""]
        return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--upstream", default=None, help="api_upstream folder (default: the installed temporalio's)")
    parser.add_argument("--out", default=here, help="output root (default: Proto/)")
    parser.add_argument("--report", action="store_true", help="print kept/omitted fields per message")
    args = parser.parse_args()

    schema = Schema(compile_upstream(args.upstream or find_upstream()))
    kept, enums = select(schema)
    version = temporalio_version()

    written = []
    for file_name in sorted(schema.files):
        if not file_name.startswith("temporal/"):
            continue
        text = Writer(schema, kept, enums, file_name, version).render()
        target = os.path.join(args.out, file_name)
        if text is None:
            continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as f:
            f.write(text)
        written.append(file_name)

    # Remove files from a previous run that are no longer part of the subset.
    temporal_root = os.path.join(args.out, "temporal")
    for dirpath, _, names in os.walk(temporal_root):
        for n in names:
            rel = os.path.relpath(os.path.join(dirpath, n), args.out)
            if n.endswith(".proto") and rel not in written:
                os.remove(os.path.join(dirpath, n))

    messages = [n for n in kept if not schema.is_map_entry(n)]
    field_count = sum(len(kept[n].fields) for n in messages)
    print(f"prune: {len(written)} files, {len(messages)} messages, {field_count} fields, {len(enums)} enums", file=sys.stderr)
    if args.report:
        for n in sorted(messages):
            print(n)
            for f in kept[n].fields:
                print(f"    + {f.number:4} {f.name}")
            for f in kept[n].omitted:
                print(f"    - {f.number:4} {f.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
