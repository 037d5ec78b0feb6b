#!/usr/bin/env python3
"""Interop check for the Swift WorkflowClient, with the official Python SDK.

Usage: client_describe.py <workflow_id> [target]

Describes a workflow started by Swift, decodes its start input and memo with the
Python SDK's default data converter, sends it a signal with a Python payload, and
prints one JSON object: {"status", "workflow_type", "task_queue", "input", "memo"}.
"""
import asyncio
import json
import os
import sys

from temporalio.client import Client
from temporalio.converter import DataConverter


async def main(workflow_id: str, target: str) -> None:
    client = await Client.connect(target, namespace="default")
    handle = client.get_workflow_handle(workflow_id)
    description = await handle.describe()
    converter = DataConverter.default.payload_converter
    start_input = []
    async for event in handle.fetch_history_events():
        if event.HasField("workflow_execution_started_event_attributes"):
            start_input = converter.from_payloads(event.workflow_execution_started_event_attributes.input.payloads)
            break
    memo = await description.memo()
    await handle.signal("fromPython", {"orderId": "PY-1", "amount": 3.5})
    print(json.dumps({
        "status": description.status.name if description.status else None,
        "workflow_type": description.workflow_type,
        "task_queue": description.task_queue,
        "input": start_input,
        "memo": memo,
    }, sort_keys=True))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "127.0.0.1:7233"))
    # The SDK's Rust threads can outlive interpreter finalization and crash a short-lived process after
    # its work is printed (temporalio/sdk-python#300): leave without the teardown so the exit status is ours.
    sys.stdout.flush()
    os._exit(0)
