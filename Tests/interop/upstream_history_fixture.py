#!/usr/bin/env python3
"""Writes Tests/TemporalBridgeTests/Fixtures/payloads/upstream_history.binpb: a serialized
temporal.api.history.v1.History built with temporalio's full upstream messages, including fields and
event types our pruned Proto/ subset leaves out (links, principal, priority, deployment options, an
update-accepted event). The Swift tests decode it with the generated code: known fields must decode,
unknown ones must be skipped and kept, and the payloads inside must decode with PayloadConverter.

Usage: upstream_history_fixture.py [generate|check]   (check: the committed file equals a fresh build)
"""
from __future__ import annotations

import os
import sys

import temporalio.converter
from google.protobuf.duration_pb2 import Duration
from google.protobuf.timestamp_pb2 import Timestamp
from temporalio.api.common.v1 import ActivityType, Link, Payloads, Priority, RetryPolicy, WorkflowExecution, WorkflowType
from temporalio.api.enums.v1 import EventType, TaskQueueKind
from temporalio.api.failure.v1 import ApplicationFailureInfo, Failure
from temporalio.api.history.v1 import (
    ActivityTaskCompletedEventAttributes,
    ActivityTaskFailedEventAttributes,
    ActivityTaskScheduledEventAttributes,
    History,
    HistoryEvent,
    TimerStartedEventAttributes,
    WorkflowExecutionCancelRequestedEventAttributes,
    WorkflowExecutionCompletedEventAttributes,
    WorkflowExecutionSignaledEventAttributes,
    WorkflowExecutionStartedEventAttributes,
    WorkflowExecutionUpdateAcceptedEventAttributes,
    WorkflowTaskCompletedEventAttributes,
    WorkflowTaskScheduledEventAttributes,
    WorkflowTaskStartedEventAttributes,
)
from temporalio.api.sdk.v1 import WorkflowTaskCompletedMetadata
from temporalio.api.taskqueue.v1 import TaskQueue

HERE = os.path.dirname(os.path.abspath(__file__))
TARGET = os.path.join(HERE, "..", "TemporalBridgeTests", "Fixtures", "payloads", "upstream_history.binpb")


def build() -> bytes:
    payloads = temporalio.converter.default().payload_converter
    order = {
        "order_id": "ORD-1001",
        "customer_id": "CUST-42",
        "items": [{"product_id": "PROD-001", "product_name": "Laptop Dell XPS 13", "quantity": 1, "unit_price": 1299.99}],
    }
    queue = TaskQueue(name="order-processing", kind=TaskQueueKind.TASK_QUEUE_KIND_NORMAL)
    time = Timestamp(seconds=1_700_000_000, nanos=123_000_000)
    events = []

    def event(event_type, **attributes):
        e = HistoryEvent(event_id=len(events) + 1, event_time=time, event_type=event_type, task_id=1000 + len(events))
        for name, value in attributes.items():
            getattr(e, name).CopyFrom(value)
        events.append(e)
        return e

    started = event(
        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
        workflow_execution_started_event_attributes=WorkflowExecutionStartedEventAttributes(
            workflow_type=WorkflowType(name="OrderWorkflow"),
            task_queue=queue,
            input=Payloads(payloads=payloads.to_payloads([order])),
            workflow_task_timeout=Duration(seconds=10),
            attempt=1,
            workflow_id="ORD-1001",
            priority=Priority(priority_key=3),  # not in our subset
        ),
    )
    started.links.append(Link(workflow_event=Link.WorkflowEvent(namespace="default", workflow_id="x", run_id="y")))
    event(
        EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
        workflow_task_scheduled_event_attributes=WorkflowTaskScheduledEventAttributes(
            task_queue=queue, start_to_close_timeout=Duration(seconds=10), attempt=1
        ),
    )
    event(
        EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
        workflow_task_started_event_attributes=WorkflowTaskStartedEventAttributes(
            scheduled_event_id=2, identity="python-fixture", request_id="req-1", history_size_bytes=512
        ),
    )
    event(
        EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
        workflow_task_completed_event_attributes=WorkflowTaskCompletedEventAttributes(
            scheduled_event_id=2,
            started_event_id=3,
            identity="python-fixture",
            sdk_metadata=WorkflowTaskCompletedMetadata(lang_used_flags=[1, 2], sdk_name="temporal-python"),
            worker_deployment_name="not-in-our-subset",
        ),
    )
    event(
        EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
        activity_task_scheduled_event_attributes=ActivityTaskScheduledEventAttributes(
            activity_id="1",
            activity_type=ActivityType(name="CreateOrder"),
            task_queue=queue,
            input=Payloads(payloads=payloads.to_payloads([order])),
            start_to_close_timeout=Duration(seconds=10),
            workflow_task_completed_event_id=4,
            retry_policy=RetryPolicy(
                initial_interval=Duration(seconds=1), backoff_coefficient=2.0, maximum_attempts=5,
                maximum_interval=Duration(seconds=30), non_retryable_error_types=["InvalidOrder"],
            ),
            priority=Priority(priority_key=1),  # not in our subset
        ),
    )
    event(
        EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
        activity_task_completed_event_attributes=ActivityTaskCompletedEventAttributes(
            result=Payloads(payloads=payloads.to_payloads([{"status": "created"}])), scheduled_event_id=5, started_event_id=7
        ),
    )
    event(
        EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED,
        activity_task_failed_event_attributes=ActivityTaskFailedEventAttributes(
            failure=Failure(
                message="not enough stock",
                source="PythonSDK",
                application_failure_info=ApplicationFailureInfo(type="InsufficientInventory", non_retryable=True),
                cause=Failure(message="root cause"),
            ),
            scheduled_event_id=5,
            retry_state=2,
        ),
    )
    event(
        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,  # whole event type not in our subset
        workflow_execution_update_accepted_event_attributes=WorkflowExecutionUpdateAcceptedEventAttributes(
            protocol_instance_id="update-1", accepted_request_message_id="m-1"
        ),
    )
    event(
        EventType.EVENT_TYPE_TIMER_STARTED,
        timer_started_event_attributes=TimerStartedEventAttributes(
            timer_id="t1", start_to_fire_timeout=Duration(seconds=5), workflow_task_completed_event_id=4
        ),
    )
    event(
        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
        workflow_execution_signaled_event_attributes=WorkflowExecutionSignaledEventAttributes(
            signal_name="cancelOrder", input=Payloads(payloads=payloads.to_payloads([{"reason": "Caf\u00e9 \U0001f600"}])), identity="cli"
        ),
    )
    event(
        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED,
        workflow_execution_cancel_requested_event_attributes=WorkflowExecutionCancelRequestedEventAttributes(
            cause="customer asked", identity="ui",
            external_workflow_execution=WorkflowExecution(workflow_id="parent", run_id="r"),
        ),
    )
    event(
        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
        workflow_execution_completed_event_attributes=WorkflowExecutionCompletedEventAttributes(
            result=Payloads(payloads=payloads.to_payloads([None])), workflow_task_completed_event_id=4
        ),
    )
    return History(events=events).SerializeToString(deterministic=True)


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    data = build()
    if command == "generate":
        with open(TARGET, "wb") as f:
            f.write(data)
        print(f"wrote {os.path.relpath(TARGET)} ({len(data)} bytes)")
        return 0
    with open(TARGET, "rb") as f:
        ok = f.read() == data
    print(f"upstream history fixture: {'1 passed, 0 failed' if ok else '0 passed, 1 failed (run generate)'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
