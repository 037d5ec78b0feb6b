#!/usr/bin/env python3
"""Local activity interop with the official Python SDK: `core_local_activity` markers both ways.

Usage:
  local_activity_interop.py record <target> <history.json>
      Runs the LocalActivityInterop workflow below on a Python worker with its local activities,
      waits for it, and writes its history as JSON for the Swift replayer.
      Prints {"workflow_id", "result"}.
  local_activity_interop.py replay <history.json>
      Replays a history written by the Swift worker with the Python SDK's Replayer, once with
      the matching workflow (must pass) and once with a version that runs the first step as a
      remote activity (must fail: history has a marker where that code schedules an activity).
      Prints {"local": "ok" | error, "remote": "ok" | error}.

The workflow: Greet (completes), Flaky retried inside the task (fails attempt 1, 10 ms backoff),
Flaky retried after a timer (200 ms backoff above a 50 ms local retry threshold), Refuse (a
non-retryable failure the workflow catches), then a 10 ms timer. The Swift twin is in
Tests/TemporalBridgeTests/LocalActivityInteropTests.swift; keep both in step.
"""
import asyncio
import json
import os
import sys
import uuid
from datetime import timedelta

from temporalio import activity, workflow
from temporalio.client import Client, WorkflowHistory
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError
from temporalio.worker import Replayer, UnsandboxedWorkflowRunner, Worker


@activity.defn(name="Greet")
async def greet(name: str) -> str:
    return f"hello {name}"


@activity.defn(name="Flaky")
async def flaky(name: str) -> str:
    if activity.info().attempt < 2:
        raise ApplicationError("not yet", type="Transient")
    return f"{name}@{activity.info().attempt}"


@activity.defn(name="Refuse")
async def refuse(name: str) -> str:
    raise ApplicationError(f"no {name}", type="Refused", non_retryable=True)


TEN_SECONDS = timedelta(seconds=10)


@workflow.defn(name="LocalActivityInterop")
class LocalActivityInterop:
    @workflow.run
    async def run(self, name: str) -> str:
        a = await workflow.execute_local_activity(
            "Greet", name, start_to_close_timeout=TEN_SECONDS, summary=f"greet {name}"
        )
        b = await workflow.execute_local_activity(
            "Flaky", name, start_to_close_timeout=TEN_SECONDS,
            retry_policy=RetryPolicy(initial_interval=timedelta(milliseconds=10)), summary="flaky in the task",
        )
        c = await workflow.execute_local_activity(
            "Flaky", name, start_to_close_timeout=TEN_SECONDS,
            retry_policy=RetryPolicy(initial_interval=timedelta(milliseconds=200)),
            local_retry_threshold=timedelta(milliseconds=50), summary="flaky on a timer",
        )
        d = "accepted"
        try:
            await workflow.execute_local_activity(
                "Refuse", name, start_to_close_timeout=TEN_SECONDS, summary="refuse"
            )
        except (ActivityError, ApplicationError) as error:
            cause = error.cause if isinstance(error, ActivityError) else error
            d = f"refused:{getattr(cause, 'type', None)}"
        await workflow.sleep(timedelta(milliseconds=10))
        return f"{a}|{b}|{c}|{d}"


@workflow.defn(name="LocalActivityInterop")
class LocalActivityInteropRemote:
    """The first step as a remote activity: must not replay a history with markers."""

    @workflow.run
    async def run(self, name: str) -> str:
        a = await workflow.execute_activity("Greet", name, start_to_close_timeout=TEN_SECONDS)
        return a


@workflow.defn(name="SlowLocalActivity")
class SlowLocalActivity:
    """One local activity longer than the workflow task timeout: the Swift worker heartbeats the task."""

    @workflow.run
    async def run(self, name: str) -> str:
        return await workflow.execute_local_activity("Slow", name, start_to_close_timeout=TEN_SECONDS, summary="slow")


# sdk-core logs go to file descriptor 1: this script's answer goes to a copy of it, and
# descriptor 1 becomes stderr, so stdout holds the JSON only.
ANSWER = os.fdopen(os.dup(1), "w")
os.dup2(2, 1)


def answer(value: dict) -> None:
    ANSWER.write(json.dumps(value) + "\n")
    ANSWER.flush()


async def record(target: str, path: str) -> None:
    client = await Client.connect(target, namespace="default")
    queue = f"local-activity-interop-{uuid.uuid4()}"
    workflow_id = f"local-activity-interop-py-{uuid.uuid4()}"
    async with Worker(
        client, task_queue=queue, workflows=[LocalActivityInterop], activities=[greet, flaky, refuse],
        workflow_runner=UnsandboxedWorkflowRunner(),
    ):
        handle = await client.start_workflow(
            LocalActivityInterop.run, "py", id=workflow_id, task_queue=queue,
            execution_timeout=timedelta(seconds=60),
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
        history = WorkflowHistory.from_json("local-activity-interop-swift", source.read())
    answer({
        "local": await replay_with(
            LocalActivityInterop if history.events[0].workflow_execution_started_event_attributes.workflow_type.name
            == "LocalActivityInterop" else SlowLocalActivity, history),
        "remote": await replay_with(LocalActivityInteropRemote, history),
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
