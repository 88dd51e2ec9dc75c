/* SPDX-License-Identifier: GPL-2.0 */
#ifndef STRATUM_POLICY_H
#define STRATUM_POLICY_H

/*
 * Stateful firewall per network, in both directions of a port: egress rules
 * match the destination of what its workload sends (after load-balancer
 * translation), ingress rules the source of what it receives. Allowed flows
 * enter conntrack, so their replies pass whatever the other direction's or
 * the other side's policy says.
 */
#include "parse.h"
#include "policy_map.h"
#include "conntrack.h"
#include "lb.h"

#define POLICY_KEY_FIXED_BITS 48

static __always_inline int policy_rule_matches(const struct policy_rule *rule, const struct pkt *p)
{
	__u16 port;

	if (rule->proto && rule->proto != p->proto)
		return 0;
	if (!p->has_ports)
		return rule->port_lo == 0 && rule->port_hi == 0xffff;
	port = bpf_ntohs(p->dport);
	return port >= rule->port_lo && port <= rule->port_hi;
}

/* Returns the action of the first matching rule, or 0 when no rule matches. Ports always mean the destination port. */
static __always_inline __u8 policy_rule_action(const struct pkt *p, __u32 network_id, __u8 direction)
{
	struct policy_key key = {
		.prefixlen = POLICY_KEY_FIXED_BITS + (p->family == ADDR_FAMILY_V4 ? 32 : 128),
		.network_id = network_id,
		.direction = direction,
		.family = p->family,
	};
	struct policy_entry *entry;
	__u32 i;

	__builtin_memcpy(key.addr, direction == POLICY_EGRESS ? p->daddr : p->saddr, 16);
	entry = bpf_map_lookup_elem(&policy_rules, &key);
	if (!entry)
		return 0;
	for (i = 0; i < POLICY_MAX_RULES; i++) {
		if (i >= entry->count)
			break;
		if (policy_rule_matches(&entry->rules[i], p))
			return entry->rules[i].action;
	}
	return 0;
}

/* The live entry of the packet's reverse tuple of `kind`: the packet answers a flow tracked that way. */
static __always_inline struct ct_entry *ct_reply_of(const struct pkt *p, __u8 kind, __u64 now)
{
	struct ct_key key;

	ct_key_reverse_of_pkt(&key, p, kind);
	return ct_touch(&key, p->proto, now);
}

/*
 * Egress: what a workload sends. Called once the packet's own tuple has
 * missed conntrack (re-checked here after a DNAT changed it). Replies pass
 * whether the original flow was let out by the peer's network or let in by
 * this one.
 */
static __always_inline int firewall(ctx_t *ctx, struct pkt *p, __u32 network_id, __u64 now)
{
	struct policy_network *net;
	struct ct_key key;
	struct ct_entry *flow;
	__u8 action;

	if (p->dnat) {
		ct_key_from_pkt(&key, p, CT_KIND_FLOW);
		if (ct_touch(&key, p->proto, now))
			return 0;
	}
	flow = ct_reply_of(p, CT_KIND_FLOW, now);
	if (flow)
		return flow->rev_vip ? lb_reverse_nat(ctx, p, flow) : 0;
	if (ct_reply_of(p, CT_KIND_INGRESS, now))
		return 0;

	net = bpf_map_lookup_elem(&policy_networks, &network_id);
	if (net) {
		action = policy_rule_action(p, network_id, POLICY_EGRESS);
		if (action == POLICY_DENY)
			return DROP_POLICY_DENY;
		if (!action && net->egress_default != POLICY_ALLOW)
			return DROP_POLICY_DEFAULT;
	} else if (!p->dnat) {
		/* No policy on this network: nothing to remember unless replies need translating. */
		return 0;
	}
	ct_key_from_pkt(&key, p, CT_KIND_FLOW);
	ct_create(&key, p, now);
	return 0;
}

/*
 * Ingress: what a workload receives, once its own tuple has missed
 * conntrack. Replies to what it sent pass, including answers from a VIP it
 * asked; new flows need the network's ingress rules.
 */
static __always_inline int ingress_firewall(struct pkt *p, __u32 network_id, __u64 now)
{
	struct policy_network *net;
	struct ct_key key;
	__u8 action;

	net = bpf_map_lookup_elem(&policy_networks, &network_id);
	if (!net)
		return 0;
	if (ct_reply_of(p, CT_KIND_FLOW, now) || ct_reply_of(p, CT_KIND_SERVICE, now))
		return 0;
	action = policy_rule_action(p, network_id, POLICY_INGRESS);
	if (action == POLICY_DENY)
		return DROP_POLICY_INGRESS_DENY;
	if (!action && net->ingress_default != POLICY_ALLOW)
		return DROP_POLICY_INGRESS_DEFAULT;
	ct_key_from_pkt(&key, p, CT_KIND_INGRESS);
	ct_create(&key, p, now);
	return 0;
}

#endif
