/* SPDX-License-Identifier: GPL-2.0 */
#ifndef STRATUM_FROM_ENDPOINT_H
#define STRATUM_FROM_ENDPOINT_H

/* The path of a packet a workload sends, the same at XDP and TC ingress of its host-side port. */
#include "ctx.h"
#include "counters.h"
#include "endpoint.h"
#include "lb.h"
#include "policy.h"

static __always_inline int handle_from_endpoint(ctx_t *ctx)
{
	__u32 ifindex = ctx_ifindex(ctx);
	struct pkt p = {};
	struct ct_key established;
	__u64 now;
	int reason;

	ctx_prepare(ctx);
	reason = parse_packet(ctx, &p);
	if (reason) {
		/* Whatever an unprogrammed port sends counts as that, not as malformed. */
		if (!bpf_map_lookup_elem(&endpoint_ports, &ifindex))
			reason = DROP_UNKNOWN_PORT;
		return drop_packet(ctx, ifindex, reason);
	}
	reason = endpoint_check(ctx, &p, ifindex);
	if (reason)
		return drop_packet(ctx, ifindex, reason);
	if (p.eth_proto == bpf_htons(ETH_P_ARP) && lb_answer_arp(ctx))
		return ctx_reflect(ctx);
	if (p.bypass_policy)
		return CTX_ACT_OK;
	/*
	 * An established flow passes on one lookup. Flows to a service miss
	 * here (their entries hold the translated tuple) and are found again
	 * after the load balancer has rewritten them.
	 */
	now = bpf_ktime_get_coarse_ns();
	ct_key_from_pkt(&established, &p, CT_KIND_FLOW);
	if (ct_touch(&established, p.proto, now))
		return CTX_ACT_OK;
	reason = lb_dnat(ctx, &p, now);
	if (reason)
		return drop_packet(ctx, ifindex, reason);
	reason = firewall(ctx, &p, p.network_id, now);
	if (reason)
		return drop_packet(ctx, ifindex, reason);
	return CTX_ACT_OK;
}

#endif
