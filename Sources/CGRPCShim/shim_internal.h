/* Private structures shared by the channel and call halves of the shim. */
#ifndef CGRPCSHIM_INTERNAL_H
#define CGRPCSHIM_INTERNAL_H
#include <pthread.h>
#include <stdatomic.h>
#include <grpc/grpc.h>
#include <grpc/byte_buffer.h>
#include "cgrpcshim.h"

struct cgrpc_channel {
    grpc_channel *channel;
    grpc_completion_queue *cq;
    pthread_t cq_thread;
    /* Calls in flight, so destroy can cancel them instead of waiting for
     * their deadlines (a long poll would otherwise hold shutdown ~70 s). */
    pthread_mutex_t lock;
    cgrpc_call *inflight_head;
    size_t inflight_count;
};

struct cgrpc_call {
    /* One reference for the completion queue (dropped after the callback),
     * one for the caller's handle (dropped by cgrpc_call_release). */
    atomic_int refs;
    grpc_call *call;
    cgrpc_channel *owner;
    cgrpc_call *prev, *next; /* links in owner->inflight_head, under owner->lock */

    cgrpc_unary_callback callback;
    void *context;

    /* Batch state that must live until the batch completes. */
    grpc_metadata *send_md;
    size_t send_md_count;
    grpc_byte_buffer *send_message;
    grpc_metadata_array recv_initial_md;
    grpc_metadata_array recv_trailing_md;
    grpc_byte_buffer *recv_message;
    grpc_status_code status;
    grpc_slice status_details;
};

/* Called on the completion-queue thread when a call's batch finished. */
void cgrpc_call_complete(cgrpc_call *call);

void cgrpc_channel_track(cgrpc_channel *channel, cgrpc_call *call);
void cgrpc_channel_untrack(cgrpc_channel *channel, cgrpc_call *call);
#endif
