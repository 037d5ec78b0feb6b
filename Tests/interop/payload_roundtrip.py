#!/usr/bin/env python3
"""Payload interop between our Swift PayloadConverter and the Python SDK's default converter.

Fixtures (Tests/TemporalBridgeTests/Fixtures/payloads/):
  python_payloads.json  what temporalio's default payload converter produces for CASES
                        (the Swift tests decode these and compare with the same values)
  swift_payloads.json   what our Swift PayloadConverter produces for the same cases
                        (written by the Swift tests with UPDATE_PAYLOAD_FIXTURES=1, and checked by them)

Usage:
  payload_roundtrip.py generate   rewrite python_payloads.json with the installed temporalio
  payload_roundtrip.py check      (default) 1. Python still produces python_payloads.json byte for byte,
                                  2. every Swift payload decodes in Python to the expected value.
Prints one line per check and a summary; exits non-zero on any failure.
"""
from __future__ import annotations

import json
import os
import sys

import temporalio.converter
from google.protobuf import json_format
from temporalio.api.common.v1 import Payload
from temporalio.api.sdk.v1 import WorkflowDefinition, WorkflowInteractionDefinition, WorkflowMetadata

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "TemporalBridgeTests", "Fixtures", "payloads")
PYTHON_FIXTURE = os.path.join(FIXTURES, "python_payloads.json")
SWIFT_FIXTURE = os.path.join(FIXTURES, "swift_payloads.json")


def workflow_metadata() -> WorkflowMetadata:
    return WorkflowMetadata(
        definition=WorkflowDefinition(
            type="OrderWorkflow",
            query_definitions=[WorkflowInteractionDefinition(name="getStatus", description="current order status")],
            signal_definitions=[WorkflowInteractionDefinition(name="cancelOrder")],
        )
    )


# name -> value. The Swift tests hold the same values as Swift types (PayloadConverterTests.swift).
CASES: dict[str, object] = {
    "string": "hello",
    "int": 42,
    "negative_int": -7,
    "float": 12.5,
    "bool": True,
    "null": None,
    "bytes": b"\x00\x01\xfe\xff",
    "order_input": {
        "order_id": "ORD-1001",
        "customer_id": "CUST-42",
        "items": [
            {"product_id": "PROD-001", "product_name": "Laptop Dell XPS 13", "quantity": 1, "unit_price": 1299.99},
            {"product_id": "PROD-005", "product_name": "Gaming Mouse", "quantity": 2, "unit_price": 89.99},
        ],
    },
    "cancel_signal": {"reason": "customer changed their mind"},
    "unicode": {"name": "Caf\u00e9 \u2615 \u65e5\u672c\u8a9e \U0001f600", "note": 'a/b "quoted" \\ back\nslash\ttab'},
    "nested": {"a": {"b": {"c": [1, 2, {"d": None}]}}, "empty": {}, "list": []},
    "string_list": ["x", "y", "z"],
    "workflow_metadata": workflow_metadata(),
}


def payload_to_json(payload: Payload) -> dict:
    return json_format.MessageToDict(payload)


def payload_from_json(data: dict) -> Payload:
    return json_format.ParseDict(data, Payload())


def python_payloads() -> list[dict]:
    converter = temporalio.converter.default().payload_converter
    names = list(CASES)
    payloads = converter.to_payloads([CASES[n] for n in names])
    return [{"name": n, "payload": payload_to_json(p)} for n, p in zip(names, payloads)]


def generate() -> int:
    os.makedirs(FIXTURES, exist_ok=True)
    document = {
        "generator": f"temporalio {temporalio.__version__ if hasattr(temporalio, '__version__') else ''}".strip(),
        "cases": python_payloads(),
    }
    with open(PYTHON_FIXTURE, "w", encoding="utf-8") as f:
        json.dump(document, f, indent=2, sort_keys=True)
        f.write("\n")
    print(f"wrote {os.path.relpath(PYTHON_FIXTURE)} ({len(document['cases'])} cases)")
    return 0


def check() -> int:
    passed = failed = 0

    def report(ok: bool, what: str) -> None:
        nonlocal passed, failed
        print(f"{'ok  ' if ok else 'FAIL'} {what}")
        if ok:
            passed += 1
        else:
            failed += 1

    with open(PYTHON_FIXTURE, encoding="utf-8") as f:
        committed = {c["name"]: c["payload"] for c in json.load(f)["cases"]}
    for case in python_payloads():
        report(committed.get(case["name"]) == case["payload"], f"python fixture unchanged: {case['name']}")

    with open(SWIFT_FIXTURE, encoding="utf-8") as f:
        swift_cases = json.load(f)["cases"]
    converter = temporalio.converter.default().payload_converter
    seen = set()
    for case in swift_cases:
        name = case["name"]
        seen.add(name)
        expected = CASES.get(name)
        payload = payload_from_json(case["payload"])
        try:
            type_hint = type(expected) if expected is not None else None
            [value] = converter.from_payloads([payload], [type_hint] if type_hint is not None else None)
            ok = value == expected
            detail = "" if ok else f" (got {value!r})"
        except Exception as error:  # noqa: BLE001 (any failure is a failed check)
            ok, detail = False, f" ({error})"
        report(ok, f"swift payload decodes in python: {name}{detail}")
    for name in CASES:
        if name not in seen:
            report(False, f"swift payload present: {name}")

    print(f"payload interop: {passed} passed, {failed} failed")
    return 1 if failed else 0


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "generate":
        return generate()
    if command == "check":
        return check()
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
