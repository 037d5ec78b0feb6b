#!/usr/bin/env python3
"""Versioning interop with the official Python SDK: `workflow.patched` histories both ways.

Usage:
  patch_interop.py record <target> <history.json>
      Runs the PatchInterop workflow below on a Python worker (new code: patched +
      deprecate_patch), waits for it, and writes its history as JSON for the Swift
      replayer. Prints {"workflow_id", "result"}.
  patch_interop.py replay <history.json>
      Replays a history written by the Swift worker with the Python SDK's Replayer,
      once with the matching workflow (must pass) and once with the code from before
      the patch (must fail: the history holds a non-deprecated marker).
      Prints {"patched": "ok" | error, "before_patch": "ok" | error}.

The Swift twin of PatchInterop is in Tests/TemporalBridgeTests/PatchInteropTests.swift;
keep both in step.
"""
import asyncio
import json
import os
import sys
import uuid
from datetime import timedelta

from temporalio import workflow
from temporalio.client import Client, WorkflowHistory
from temporalio.worker import Replayer, UnsandboxedWorkflowRunner, Worker


@workflow.defn(name="PatchInterop")
class PatchInterop:
    @workflow.run
    async def run(self, name: str) -> str:
        new = workflow.patched("interop-a")
        await workflow.sleep(timedelta(milliseconds=10 if new else 20))
        workflow.deprecate_patch("interop-b")
        await workflow.sleep(timedelta(milliseconds=10))
        return f"{name}:{'new' if new else 'old'}"


@workflow.defn(name="PatchInterop")
class PatchInteropBeforePatch:
    @workflow.run
    async def run(self, name: str) -> str:
        await workflow.sleep(timedelta(milliseconds=20))
        await workflow.sleep(timedelta(milliseconds=10))
        return f"{name}:old"


# sdk-core logs (a replay's nondeterminism warning, for one) go to file descriptor 1: this script's
# answer goes to a copy of it, and descriptor 1 becomes stderr, so stdout holds the JSON only.
ANSWER = os.fdopen(os.dup(1), "w")
os.dup2(2, 1)


def answer(value: dict) -> None:
    ANSWER.write(json.dumps(value) + "\n")
    ANSWER.flush()


async def record(target: str, path: str) -> None:
    client = await Client.connect(target, namespace="default")
    queue = f"patch-interop-{uuid.uuid4()}"
    workflow_id = f"patch-interop-py-{uuid.uuid4()}"
    async with Worker(
        client, task_queue=queue, workflows=[PatchInterop], workflow_runner=UnsandboxedWorkflowRunner()
    ):
        handle = await client.start_workflow(
            PatchInterop.run, "py", id=workflow_id, task_queue=queue, execution_timeout=timedelta(seconds=60)
        )
        result = await handle.result()
        history = await handle.fetch_history()
    with open(path, "w") as out:
        out.write(history.to_json())
    answer({"workflow_id": workflow_id, "result": result})


async def replay_with(workflow_class, history: WorkflowHistory) -> str:
    try:
        await Replayer(workflows=[workflow_class], workflow_runner=UnsandboxedWorkflowRunner()).replay_workflow(
            history
        )
        return "ok"
    except Exception as error:  # the replayer's failure, reported to the Swift test
        return f"{type(error).__name__}: {error}"


async def replay(path: str) -> None:
    with open(path) as source:
        history = WorkflowHistory.from_json("patch-interop-swift", source.read())
    answer({
        "patched": await replay_with(PatchInterop, history),
        "before_patch": await replay_with(PatchInteropBeforePatch, history),
    })


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "record":
        asyncio.run(record(sys.argv[2], sys.argv[3]))
    elif len(sys.argv) == 3 and sys.argv[1] == "replay":
        asyncio.run(replay(sys.argv[2]))
    else:
        sys.exit(__doc__)
    # The SDK's runtime threads can abort the interpreter's finalisation (PyGILState_Release):
    # the work is done and printed, so leave without it.
    sys.stdout.flush()
    os._exit(0)
