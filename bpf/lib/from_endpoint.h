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
	struct endpoint_port *port;
	struct pkt p = {};
	__u32 network_id;
	int reason;

	port = bpf_map_lookup_elem(&endpoint_ports, &ifindex);
	if (!port)
		return drop_packet(ctx, ifindex, DROP_UNKNOWN_PORT);
	network_id = port->network_id;
	ctx_prepare(ctx);
	reason = parse_packet(ctx, &p);
	if (reason)
		return drop_packet(ctx, ifindex, reason);
	reason = endpoint_check(ctx, &p, port, ifindex);
	if (reason)
		return drop_packet(ctx, ifindex, reason);
	if (p.bypass_policy)
		return CTX_ACT_OK;
	reason = lb_dnat(ctx, &p);
	if (reason)
		return drop_packet(ctx, ifindex, reason);
	reason = firewall(ctx, &p, network_id);
	if (reason)
		return drop_packet(ctx, ifindex, reason);
	return CTX_ACT_OK;
}

#endif
