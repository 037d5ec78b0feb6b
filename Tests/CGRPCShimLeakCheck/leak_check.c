/*
 * Exercises the CGRPCShim against the Temporal dev server so valgrind can
 * prove nothing leaks: OK calls, server errors (with grpc-status-details-bin),
 * cancelled long polls, local deadlines, connection refused, calls still in
 * flight when the channel is destroyed, and channel create/destroy cycles.
 *
 * Not a SwiftPM target: scripts/grpc-leak-check.sh compiles it with cc.
 * Usage: leak_check [target]   (default 127.0.0.1:7233)
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cgrpcshim.h"

#define SERVICE "/temporal.api.workflowservice.v1.WorkflowService/"

enum { OK = 0, CANCELLED = 1, DEADLINE_EXCEEDED = 4, NOT_FOUND = 5, UNIMPLEMENTED = 12, UNAVAILABLE = 14 };

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int completed;
static int failures;

typedef struct expectation {
    int code;          /* expected status code */
    int want_details;  /* expect a grpc-status-details-bin trailer */
} expectation;

static void on_done(const cgrpc_unary_result *r, void *context) {
    const expectation *want = context;
    pthread_mutex_lock(&lock);
    if (r->status_code != want->code) {
        fprintf(stderr, "unexpected status %d (want %d): %.*s\n", r->status_code, want->code,
                (int)r->details_len, r->details ? r->details : "");
        failures++;
    }
    if (want->want_details && r->status_details_bin_len == 0) {
        fprintf(stderr, "missing grpc-status-details-bin\n");
        failures++;
    }
    if (r->status_code == OK && !r->has_response) {
        fprintf(stderr, "OK without a response message\n");
        failures++;
    }
    completed++;
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
}

static void wait_for(int total) {
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 120;
    pthread_mutex_lock(&lock);
    while (completed < total) {
        if (pthread_cond_timedwait(&cond, &lock, &until) != 0) {
            fprintf(stderr, "timed out waiting: %d of %d completed\n", completed, total);
            failures++;
            break;
        }
    }
    pthread_mutex_unlock(&lock);
}

/* Encodes a length-delimited field; returns bytes written. */
static size_t put_bytes(uint8_t *out, int field, const void *data, size_t len) {
    size_t n = 0;
    out[n++] = (uint8_t)((field << 3) | 2);
    out[n++] = (uint8_t)len; /* all our fields are < 128 bytes */
    memcpy(out + n, data, len);
    return n + len;
}

/* PollWorkflowTaskQueueRequest{namespace, task_queue{name, kind=NORMAL}}. */
static size_t poll_request(uint8_t *out, const char *queue) {
    uint8_t tq[128];
    size_t tq_len = put_bytes(tq, 1, queue, strlen(queue));
    tq[tq_len++] = (2 << 3) | 0;
    tq[tq_len++] = 1;
    size_t n = put_bytes(out, 1, "default", 7);
    return n + put_bytes(out + n, 2, tq, tq_len);
}

static const cgrpc_metadata metadata[] = {
    {"client-name", (const uint8_t *)"temporal-swift", 14},
    {"client-version", (const uint8_t *)"0.1.0", 5},
    {"temporal-namespace", (const uint8_t *)"default", 7},
};

static expectation want_ok = {OK, 0};
static expectation want_not_found = {NOT_FOUND, 1};
static expectation want_unimplemented = {UNIMPLEMENTED, 0};
static expectation want_cancelled = {CANCELLED, 0};
static expectation want_deadline = {DEADLINE_EXCEEDED, 0};
static expectation want_unavailable = {UNAVAILABLE, 0};

static int started;

static void start(cgrpc_channel *ch, const char *method, const uint8_t *req, size_t len,
                  int64_t deadline_ms, expectation *want, int cancel) {
    cgrpc_call *call = cgrpc_unary_start(ch, method, req, len, metadata, 3, deadline_ms, on_done, want);
    if (call == NULL) { fprintf(stderr, "start failed\n"); failures++; return; }
    started++;
    if (cancel) cgrpc_call_cancel(call);
    cgrpc_call_release(call);
}

int main(int argc, char **argv) {
    const char *target = argc > 1 ? argv[1] : "127.0.0.1:7233";
    cgrpc_channel *ch = cgrpc_channel_create(target, NULL);
    if (ch == NULL) { fprintf(stderr, "channel create failed\n"); return 1; }

    uint8_t describe_unknown[64];
    size_t describe_len = put_bytes(describe_unknown, 1, "no-such-namespace-leakcheck", 27);
    uint8_t poll[256];
    char queue[64];
    snprintf(queue, sizeof queue, "leak-check-%ld-%d", (long)time(NULL), (int)getpid());
    size_t poll_len = poll_request(poll, queue);

    for (int i = 0; i < 80; i++) start(ch, SERVICE "GetSystemInfo", NULL, 0, 10000, &want_ok, 0);
    for (int i = 0; i < 30; i++) start(ch, SERVICE "DescribeNamespace", describe_unknown, describe_len, 10000, &want_not_found, 0);
    for (int i = 0; i < 20; i++) start(ch, SERVICE "NoSuchMethod", NULL, 0, 10000, &want_unimplemented, 0);
    for (int i = 0; i < 30; i++) start(ch, SERVICE "PollWorkflowTaskQueue", poll, poll_len, 70000, &want_cancelled, 1);
    for (int i = 0; i < 30; i++) start(ch, SERVICE "GetSystemInfo", NULL, 0, 1, &want_deadline, 0);
    wait_for(started);

    /* Cancel racing completion: cancel after the call may already be done. */
    for (int i = 0; i < 20; i++) {
        cgrpc_call *call = cgrpc_unary_start(ch, SERVICE "GetSystemInfo", NULL, 0, metadata, 3, 10000, on_done, &want_ok);
        if (call == NULL) { failures++; continue; }
        started++;
        wait_for(started);
        cgrpc_call_cancel(call); /* after completion: must be harmless */
        cgrpc_call_release(call);
    }

    /* Calls still in flight when the channel goes away are cancelled by destroy. */
    for (int i = 0; i < 10; i++) start(ch, SERVICE "PollWorkflowTaskQueue", poll, poll_len, 70000, &want_cancelled, 0);
    usleep(200 * 1000);
    cgrpc_channel_destroy(ch);
    wait_for(started);

    /* Connection refused, and a few create/destroy cycles. */
    for (int cycle = 0; cycle < 3; cycle++) {
        cgrpc_channel *refused = cgrpc_channel_create("127.0.0.1:1", NULL);
        for (int i = 0; i < 3; i++) start(refused, SERVICE "GetSystemInfo", NULL, 0, 5000, &want_unavailable, 0);
        wait_for(started);
        cgrpc_channel_destroy(refused);
    }

    printf("leak check: %d calls, %d failures\n", started, failures);
    return failures == 0 ? 0 : 1;
}
