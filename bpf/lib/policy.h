/* SPDX-License-Identifier: GPL-2.0 */
#ifndef STRATUM_POLICY_H
#define STRATUM_POLICY_H

/*
 * Stateful firewall of the sending port's network: the remote prefix matches
 * the destination, after load-balancer translation. Allowed flows enter
 * conntrack, so their replies pass whatever the replying side's policy says.
 */
#include "parse.h"
#include "policy_map.h"
#include "conntrack.h"
#include "lb.h"

#define POLICY_KEY_FIXED_BITS 40

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

/* Returns the action of the first matching rule, or 0 when no rule matches. */
static __always_inline __u8 policy_rule_action(const struct pkt *p, __u32 network_id)
{
	struct policy_key key = {
		.prefixlen = POLICY_KEY_FIXED_BITS + (p->family == ADDR_FAMILY_V4 ? 32 : 128),
		.network_id = network_id,
		.family = p->family,
	};
	struct policy_entry *entry;
	__u32 i;

	__builtin_memcpy(key.addr, p->daddr, 16);
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

static __always_inline int firewall(ctx_t *ctx, struct pkt *p, __u32 network_id)
{
	struct policy_network *net;
	struct ct_key key;
	struct ct_entry *flow;
	__u64 now = bpf_ktime_get_ns();
	__u8 action;

	ct_key_from_pkt(&key, p, CT_KIND_FLOW);
	if (ct_touch(&key, p->proto, now))
		return 0;
	ct_key_reverse_of_pkt(&key, p);
	flow = ct_touch(&key, p->proto, now);
	if (flow)
		return flow->rev_vip ? lb_reverse_nat(ctx, p, flow) : 0;

	net = bpf_map_lookup_elem(&policy_networks, &network_id);
	if (net) {
		action = policy_rule_action(p, network_id);
		if (action == POLICY_DENY)
			return DROP_POLICY_DENY;
		if (!action && net->default_action != POLICY_ALLOW)
			return DROP_POLICY_DEFAULT;
	} else if (!p->dnat) {
		/* No policy on this network: nothing to remember unless replies need translating. */
		return 0;
	}
	ct_key_from_pkt(&key, p, CT_KIND_FLOW);
	ct_create(&key, p, now);
	return 0;
}

#endif
