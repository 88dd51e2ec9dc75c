/* SPDX-License-Identifier: GPL-2.0 */
#ifndef STRATUM_TO_ENDPOINT_H
#define STRATUM_TO_ENDPOINT_H

/* The path of a packet about to reach a workload, at TC egress of its host-side port. */
#include "ctx.h"
#include "counters.h"
#include "endpoint.h"
#include "policy.h"

static __always_inline int to_endpoint_is_infrastructure(const struct pkt *p)
{
	if (p->eth_proto == bpf_htons(ETH_P_ARP))
		return 1;
	if (p->proto == IPPROTO_ICMPV6)
		return p->icmp6_type >= ND_ROUTER_SOLICIT && p->icmp6_type <= ND_REDIRECT;
	/* A DHCP offer answers a broadcast sent before the workload had an address: conntrack never saw it. */
	return p->proto == IPPROTO_UDP && p->has_ports && p->sport == bpf_htons(DHCP_SERVER_PORT) &&
	       p->dport == bpf_htons(DHCP_CLIENT_PORT);
}

static __always_inline int handle_to_endpoint(ctx_t *ctx)
{
	__u32 ifindex = ctx_ifindex(ctx);
	struct endpoint_port *port;
	struct pkt p = {};
	struct ct_key established;
	__u64 now;
	int reason;

	ctx_prepare(ctx);
	reason = parse_packet(ctx, &p);
	/* What the bridge delivers besides IP and ARP is not the firewall's business. */
	if (reason == DROP_ETHERTYPE)
		return CTX_ACT_OK;
	if (reason)
		return drop_packet(ctx, ifindex, reason);
	if (to_endpoint_is_infrastructure(&p))
		return CTX_ACT_OK;
	/* A flow already let in passes on one lookup, before the port's own entry is read. */
	now = bpf_ktime_get_coarse_ns();
	ct_key_from_pkt(&established, &p, CT_KIND_INGRESS);
	if (ct_touch(&established, p.proto, now))
		return CTX_ACT_OK;
	port = bpf_map_lookup_elem(&endpoint_ports, &ifindex);
	if (!port)
		return drop_packet(ctx, ifindex, DROP_UNKNOWN_PORT);
	reason = ingress_firewall(&p, port->network_id, now);
	if (reason)
		return drop_packet(ctx, ifindex, reason);
	return CTX_ACT_OK;
}

#endif
