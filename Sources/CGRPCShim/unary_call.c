/* One unary call: a single six-op batch, its completion and its references. */
#include <stdlib.h>
#include <string.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/slice.h>
#include "shim_internal.h"

static void call_free_batch_state(cgrpc_call *call) {
    for (size_t i = 0; i < call->send_md_count; i++) {
        grpc_slice_unref(call->send_md[i].key);
        grpc_slice_unref(call->send_md[i].value);
    }
    free(call->send_md);
    call->send_md = NULL;
    call->send_md_count = 0;
    if (call->send_message) { grpc_byte_buffer_destroy(call->send_message); call->send_message = NULL; }
    if (call->recv_message) { grpc_byte_buffer_destroy(call->recv_message); call->recv_message = NULL; }
    grpc_metadata_array_destroy(&call->recv_initial_md);
    grpc_metadata_array_destroy(&call->recv_trailing_md);
    grpc_slice_unref(call->status_details);
    call->status_details = grpc_empty_slice();
}

static void call_unref(cgrpc_call *call) {
    if (atomic_fetch_sub(&call->refs, 1) != 1) return;
    if (call->call) grpc_call_unref(call->call);
    free(call);
}

static const grpc_slice *find_trailer(const grpc_metadata_array *md, const char *key) {
    for (size_t i = 0; i < md->count; i++) {
        if (grpc_slice_str_cmp(md->metadata[i].key, key) == 0) return &md->metadata[i].value;
    }
    return NULL;
}

void cgrpc_call_complete(cgrpc_call *call) {
    cgrpc_unary_result result;
    memset(&result, 0, sizeof(result));
    result.status_code = (int)call->status;
    result.details = (const char *)GRPC_SLICE_START_PTR(call->status_details);
    result.details_len = GRPC_SLICE_LENGTH(call->status_details);

    const grpc_slice *details_bin = find_trailer(&call->recv_trailing_md, "grpc-status-details-bin");
    if (details_bin) {
        result.status_details_bin = GRPC_SLICE_START_PTR(*details_bin);
        result.status_details_bin_len = GRPC_SLICE_LENGTH(*details_bin);
    }

    grpc_slice response = grpc_empty_slice();
    if (call->recv_message) {
        grpc_byte_buffer_reader reader;
        if (grpc_byte_buffer_reader_init(&reader, call->recv_message)) {
            response = grpc_byte_buffer_reader_readall(&reader);
            grpc_byte_buffer_reader_destroy(&reader);
            result.has_response = 1;
        }
        result.response = GRPC_SLICE_START_PTR(response);
        result.response_len = GRPC_SLICE_LENGTH(response);
    }

    cgrpc_channel_untrack(call->owner, call);
    call->callback(&result, call->context);

    grpc_slice_unref(response);
    call_free_batch_state(call);
    call_unref(call);
}

static int fill_metadata(cgrpc_call *call, const cgrpc_metadata *md, size_t count) {
    if (count == 0) return 1;
    call->send_md = calloc(count, sizeof(grpc_metadata));
    if (call->send_md == NULL) return 0;
    for (size_t i = 0; i < count; i++) {
        call->send_md[i].key = grpc_slice_from_copied_string(md[i].key);
        call->send_md[i].value = grpc_slice_from_copied_buffer((const char *)md[i].value, md[i].value_len);
        call->send_md_count++;
    }
    return 1;
}

cgrpc_call *cgrpc_unary_start(cgrpc_channel *channel, const char *method,
                              const uint8_t *request, size_t request_len,
                              const cgrpc_metadata *metadata, size_t metadata_count,
                              int64_t deadline_ms_from_now,
                              cgrpc_unary_callback callback, void *context) {
    if (channel == NULL || method == NULL || callback == NULL) return NULL;
    cgrpc_call *call = calloc(1, sizeof(*call));
    if (call == NULL) return NULL;
    atomic_init(&call->refs, 2);
    call->owner = channel;
    call->callback = callback;
    call->context = context;
    call->status_details = grpc_empty_slice();
    grpc_metadata_array_init(&call->recv_initial_md);
    grpc_metadata_array_init(&call->recv_trailing_md);

    if (!fill_metadata(call, metadata, metadata_count)) goto fail;
    grpc_slice payload = grpc_slice_from_copied_buffer((const char *)request, request_len);
    call->send_message = grpc_raw_byte_buffer_create(&payload, 1);
    grpc_slice_unref(payload);

    gpr_timespec deadline = deadline_ms_from_now > 0
        ? gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC), gpr_time_from_millis(deadline_ms_from_now, GPR_TIMESPAN))
        : gpr_inf_future(GPR_CLOCK_MONOTONIC);
    grpc_slice method_slice = grpc_slice_from_copied_string(method);
    call->call = grpc_channel_create_call(channel->channel, NULL, GRPC_PROPAGATE_DEFAULTS,
                                          channel->cq, method_slice, NULL, deadline, NULL);
    grpc_slice_unref(method_slice);
    if (call->call == NULL) goto fail;

    grpc_op ops[6];
    memset(ops, 0, sizeof(ops));
    ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
    ops[0].data.send_initial_metadata.count = call->send_md_count;
    ops[0].data.send_initial_metadata.metadata = call->send_md;
    ops[1].op = GRPC_OP_SEND_MESSAGE;
    ops[1].data.send_message.send_message = call->send_message;
    ops[2].op = GRPC_OP_SEND_CLOSE_FROM_CLIENT;
    ops[3].op = GRPC_OP_RECV_INITIAL_METADATA;
    ops[3].data.recv_initial_metadata.recv_initial_metadata = &call->recv_initial_md;
    ops[4].op = GRPC_OP_RECV_MESSAGE;
    ops[4].data.recv_message.recv_message = &call->recv_message;
    ops[5].op = GRPC_OP_RECV_STATUS_ON_CLIENT;
    ops[5].data.recv_status_on_client.trailing_metadata = &call->recv_trailing_md;
    ops[5].data.recv_status_on_client.status = &call->status;
    ops[5].data.recv_status_on_client.status_details = &call->status_details;

    /* Track before starting: the completion may arrive on the queue thread
     * before grpc_call_start_batch returns. */
    cgrpc_channel_track(channel, call);
    if (grpc_call_start_batch(call->call, ops, 6, call, NULL) != GRPC_CALL_OK) {
        cgrpc_channel_untrack(channel, call);
        goto fail;
    }
    return call;

fail:
    call_free_batch_state(call);
    if (call->call) grpc_call_unref(call->call);
    free(call);
    return NULL;
}

void cgrpc_call_cancel(cgrpc_call *call) {
    if (call == NULL || call->call == NULL) return;
    grpc_call_cancel(call->call, NULL);
}

void cgrpc_call_release(cgrpc_call *call) {
    if (call == NULL) return;
    call_unref(call);
}
