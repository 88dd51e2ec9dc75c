/* SPDX-License-Identifier: GPL-2.0 */
#ifndef STRATUM_COUNTERS_H
#define STRATUM_COUNTERS_H

#include "ctx.h"
#include "counters_map.h"

static __always_inline int drop_packet(ctx_t *ctx, __u32 ifindex, enum drop_reason reason)
{
	struct drop_key key = { .ifindex = ifindex, .reason = reason };
	struct drop_count *count = bpf_map_lookup_elem(&drop_counters, &key);

	if (count) {
		/* Per-CPU value: no other CPU writes this copy. */
		count->packets += 1;
		count->bytes += ctx_len(ctx);
	} else {
		struct drop_count first = { .packets = 1, .bytes = ctx_len(ctx) };

		bpf_map_update_elem(&drop_counters, &key, &first, BPF_NOEXIST);
	}
	return CTX_ACT_DROP;
}

#endif
