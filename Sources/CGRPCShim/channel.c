/* Channel creation/destruction and the completion-queue thread. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* pthread_setname_np */
#endif
#include <stdlib.h>
#include <string.h>
#include <grpc/grpc_security.h>
#include "shim_internal.h"

#define CGRPC_MAX_MESSAGE_BYTES (128 * 1024 * 1024)

static void *cq_thread_main(void *arg) {
    cgrpc_channel *channel = arg;
#ifdef __linux__
    pthread_setname_np(pthread_self(), "cgrpc-cq");
#endif
    for (;;) {
        grpc_event ev = grpc_completion_queue_next(
            channel->cq, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
        if (ev.type == GRPC_QUEUE_SHUTDOWN) break;
        if (ev.type == GRPC_OP_COMPLETE && ev.tag != NULL) {
            /* ev.success is 0 only on transport-level batch failure; the
             * status op still carries the real status, so it is reported. */
            cgrpc_call_complete((cgrpc_call *)ev.tag);
        }
    }
    return NULL;
}

static grpc_arg int_arg(const char *key, int value) {
    grpc_arg arg;
    arg.type = GRPC_ARG_INTEGER;
    arg.key = (char *)key;
    arg.value.integer = value;
    return arg;
}

static grpc_arg string_arg(const char *key, const char *value) {
    grpc_arg arg;
    arg.type = GRPC_ARG_STRING;
    arg.key = (char *)key;
    arg.value.string = (char *)value;
    return arg;
}

static grpc_channel_credentials *make_credentials(const cgrpc_tls_options *tls) {
    if (tls == NULL) return grpc_insecure_credentials_create();
    grpc_ssl_pem_key_cert_pair pair = {tls->key_pem, tls->cert_pem};
    int has_pair = tls->key_pem != NULL && tls->cert_pem != NULL;
    return grpc_ssl_credentials_create(tls->ca_pem, has_pair ? &pair : NULL, NULL, NULL);
}

cgrpc_channel *cgrpc_channel_create(const char *target, const cgrpc_tls_options *tls) {
    if (target == NULL) return NULL;
    grpc_init();
    cgrpc_channel *channel = calloc(1, sizeof(*channel));
    if (channel == NULL) { grpc_shutdown(); return NULL; }

    grpc_arg args[11];
    size_t n = 0;
    args[n++] = int_arg(GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH, CGRPC_MAX_MESSAGE_BYTES);
    args[n++] = int_arg(GRPC_ARG_MAX_SEND_MESSAGE_LENGTH, CGRPC_MAX_MESSAGE_BYTES);
    args[n++] = int_arg(GRPC_ARG_KEEPALIVE_TIME_MS, 30000);
    args[n++] = int_arg(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10000);
    args[n++] = int_arg(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
    /* Reconnect quickly after a server restart: gRPC's defaults (1 s, growing to 120 s) keep
     * failing calls fast with UNAVAILABLE for seconds after the server is back. A connect
     * attempt to a local or LAN frontend every 2 s while it is down costs nothing. */
    args[n++] = int_arg(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 250);
    args[n++] = int_arg(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
    /* No retry filter: TemporalBridge retries what is safe to repeat itself (RPCRetryPolicy), and the
     * filter copied every call's send ops in case of a retry it never made: ~80,000 of order-worker's
     * instructions per order, 2.5 % (callgrind, BENCHMARKS.md "Profile"). */
    args[n++] = int_arg(GRPC_ARG_ENABLE_RETRIES, 0);
    if (tls != NULL && tls->server_name_override != NULL) {
        args[n++] = string_arg(GRPC_SSL_TARGET_NAME_OVERRIDE_ARG, tls->server_name_override);
    }
    grpc_channel_args channel_args = {n, args};

    grpc_channel_credentials *creds = make_credentials(tls);
    if (creds == NULL) { free(channel); grpc_shutdown(); return NULL; }
    channel->channel = grpc_channel_create(target, creds, &channel_args);
    grpc_channel_credentials_release(creds);
    if (channel->channel == NULL) { free(channel); grpc_shutdown(); return NULL; }

    pthread_mutex_init(&channel->lock, NULL);
    channel->cq = grpc_completion_queue_create_for_next(NULL);
    if (pthread_create(&channel->cq_thread, NULL, cq_thread_main, channel) != 0) {
        grpc_channel_destroy(channel->channel);
        grpc_completion_queue_shutdown(channel->cq);
        while (grpc_completion_queue_next(channel->cq, gpr_inf_future(GPR_CLOCK_REALTIME), NULL).type
               != GRPC_QUEUE_SHUTDOWN) {}
        grpc_completion_queue_destroy(channel->cq);
        pthread_mutex_destroy(&channel->lock);
        free(channel);
        grpc_shutdown();
        return NULL;
    }
    return channel;
}

void cgrpc_channel_track(cgrpc_channel *channel, cgrpc_call *call) {
    pthread_mutex_lock(&channel->lock);
    call->prev = NULL;
    call->next = channel->inflight_head;
    if (channel->inflight_head) channel->inflight_head->prev = call;
    channel->inflight_head = call;
    channel->inflight_count++;
    pthread_mutex_unlock(&channel->lock);
}

void cgrpc_channel_untrack(cgrpc_channel *channel, cgrpc_call *call) {
    pthread_mutex_lock(&channel->lock);
    if (call->prev) call->prev->next = call->next;
    else channel->inflight_head = call->next;
    if (call->next) call->next->prev = call->prev;
    call->prev = call->next = NULL;
    channel->inflight_count--;
    pthread_mutex_unlock(&channel->lock);
}

size_t cgrpc_channel_inflight(cgrpc_channel *channel) {
    pthread_mutex_lock(&channel->lock);
    size_t count = channel->inflight_count;
    pthread_mutex_unlock(&channel->lock);
    return count;
}

void cgrpc_channel_destroy(cgrpc_channel *channel) {
    if (channel == NULL) return;
    /* Cancelling under the lock is safe: grpc_call_cancel only queues the
     * completion, it never calls back into us synchronously. */
    pthread_mutex_lock(&channel->lock);
    for (cgrpc_call *c = channel->inflight_head; c != NULL; c = c->next) {
        grpc_call_cancel(c->call, NULL);
    }
    pthread_mutex_unlock(&channel->lock);

    grpc_channel_destroy(channel->channel);
    /* Shutdown completes only after every pending batch was delivered, so
     * joining the thread means every callback has run. */
    grpc_completion_queue_shutdown(channel->cq);
    pthread_join(channel->cq_thread, NULL);
    grpc_completion_queue_destroy(channel->cq);
    pthread_mutex_destroy(&channel->lock);
    free(channel);
    grpc_shutdown();
}
