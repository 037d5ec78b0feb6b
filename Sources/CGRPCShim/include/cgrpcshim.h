#ifndef CGRPCSHIM_H
#define CGRPCSHIM_H
/*
 * A small C layer over gRPC-core for unary calls.
 *
 * Lifetimes of gRPC-core objects (slices, byte buffers, metadata arrays,
 * calls, the completion queue) never leave this file's implementation:
 * callers pass plain pointers + lengths in, and receive plain pointers +
 * lengths in a callback that are valid only while the callback runs.
 *
 * Threading: every channel owns one completion queue served by one
 * dedicated pthread. Callbacks run on that thread and must not block and
 * must not destroy the channel.
 */
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cgrpc_channel cgrpc_channel;
typedef struct cgrpc_call cgrpc_call;

/* TLS settings. Strings are PEM *contents* (not file names), NUL-terminated.
 * All fields may be NULL: ca_pem NULL = system roots; cert_pem/key_pem both
 * set = mTLS; server_name_override NULL = use the target host. */
typedef struct cgrpc_tls_options {
    const char *ca_pem;
    const char *cert_pem;
    const char *key_pem;
    const char *server_name_override;
} cgrpc_tls_options;

/* One request metadata entry. key: lowercase ASCII, NUL-terminated.
 * value: bytes (ASCII unless the key ends in "-bin"). */
typedef struct cgrpc_metadata {
    const char *key;
    const uint8_t *value;
    size_t value_len;
} cgrpc_metadata;

/* The outcome of a unary call; every pointer is valid only during the
 * callback. Pointers may be NULL when the matching length is 0. */
typedef struct cgrpc_unary_result {
    int status_code;                    /* grpc_status_code, 0 = OK */
    const char *details;                /* status message (not NUL-terminated) */
    size_t details_len;
    const uint8_t *status_details_bin;  /* trailing "grpc-status-details-bin" */
    size_t status_details_bin_len;
    const uint8_t *response;            /* serialized response message */
    size_t response_len;
    int has_response;                   /* 1 when a message was received */
} cgrpc_unary_result;

typedef void (*cgrpc_unary_callback)(const cgrpc_unary_result *result, void *context);

/* Creates a channel (max message size 128 MiB both ways, reconnect backoff
 * 250 ms growing to 2 s, keepalive 30 s /
 * 10 s permitted without calls). tls NULL = plaintext. Returns NULL on
 * failure (e.g. bad TLS material). */
cgrpc_channel *cgrpc_channel_create(const char *target, const cgrpc_tls_options *tls);

/* Cancels every call still in flight, destroys the channel, drains the
 * completion queue (so every started call's callback has run, with
 * CANCELLED for the cancelled ones) and joins the queue thread.
 * Must not be called from a callback. */
void cgrpc_channel_destroy(cgrpc_channel *channel);

/* Starts one unary call to `method` (full path, e.g.
 * "/temporal.api.workflowservice.v1.WorkflowService/GetSystemInfo").
 * deadline_ms_from_now <= 0 means no deadline.
 * Returns a handle holding one reference that the caller must drop with
 * cgrpc_call_release (the callback may have run before or after that).
 * Returns NULL if the call could not be started: the callback is then
 * never invoked. */
cgrpc_call *cgrpc_unary_start(cgrpc_channel *channel,
                              const char *method,
                              const uint8_t *request, size_t request_len,
                              const cgrpc_metadata *metadata, size_t metadata_count,
                              int64_t deadline_ms_from_now,
                              cgrpc_unary_callback callback,
                              void *context);

/* Cancels the call (its callback then reports CANCELLED unless it already
 * completed). Thread-safe; harmless after completion; not after release. */
void cgrpc_call_cancel(cgrpc_call *call);

/* Drops the caller's reference. The handle must not be used afterwards. */
void cgrpc_call_release(cgrpc_call *call);

/* Number of calls currently in flight on the channel (for tests). */
size_t cgrpc_channel_inflight(cgrpc_channel *channel);

#ifdef __cplusplus
}
#endif
#endif
