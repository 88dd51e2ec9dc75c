/* SPDX-License-Identifier: GPL-2.0 */
#ifndef STRATUM_ENDPOINT_H
#define STRATUM_ENDPOINT_H

/*
 * Anti-spoofing: a port may only send from the addresses and MACs bound to it,
 * may only answer ARP and neighbour solicitations for its own addresses, and
 * before it holds a lease may only speak DHCP. A bound source needs one
 * lookup; the port's own entry is read only on the rarer paths that need it.
 */
#include "parse.h"
#include "endpoint_map.h"

#define DHCP_SERVER_PORT 67
#define DHCP_CLIENT_PORT 68
#define ND_OPT_TARGET_LLADDR 2
#define ND_ROUTER_SOLICIT 133
#define ND_ROUTER_ADVERT 134
#define ND_NEIGHBOR_ADVERT 136
#define ND_REDIRECT 137

static __always_inline struct endpoint_binding *binding_lookup(__u32 ifindex, __u8 family, const __u8 *addr)
{
	struct endpoint_binding_key key = { .ifindex = ifindex, .family = family };

	if (family == ADDR_FAMILY_V4)
		__builtin_memcpy(key.addr, addr, 4);
	else
		__builtin_memcpy(key.addr, addr, 16);
	return bpf_map_lookup_elem(&endpoint_bindings, &key);
}

static __always_inline struct endpoint_port *port_lookup(__u32 ifindex, struct pkt *p)
{
	struct endpoint_port *port = bpf_map_lookup_elem(&endpoint_ports, &ifindex);

	if (port)
		p->network_id = port->network_id;
	return port;
}

static __always_inline int is_zero_v6(const __u8 *a)
{
	const __u64 *w = (const __u64 *)a;

	return w[0] == 0 && w[1] == 0;
}

static __always_inline int is_link_local_v6(const __u8 *a)
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

static __always_inline int endpoint_check_arp(ctx_t *ctx, struct pkt *p, __u32 ifindex)
{
	void *data = ctx_data(ctx);
	void *data_end = ctx_data_end(ctx);
	struct arphdr *arp = data + ETH_HLEN_NOVLAN;
	struct arp_eth_body *body = (void *)(arp + 1);
	struct endpoint_binding *binding;
	struct endpoint_port *port;

	if ((void *)(body + 1) > data_end)
		return DROP_MALFORMED;
	p->bypass_policy = 1;
	if (*(__u32 *)body->spa != 0) {
		binding = binding_lookup(ifindex, ADDR_FAMILY_V4, body->spa);
		if (binding && arp->ar_hrd == bpf_htons(ARPHRD_ETHER) && arp->ar_pro == bpf_htons(ETH_P_IP) &&
		    arp->ar_hln == ETH_ALEN && arp->ar_pln == 4 && mac_equal(body->sha, p->smac) &&
		    mac_equal(binding->mac, body->sha))
			return 0;
	}
	port = port_lookup(ifindex, p);
	if (!port)
		return DROP_UNKNOWN_PORT;
	/* An address probe (RFC 5227) claims nothing yet. */
	if (*(__u32 *)body->spa == 0 && mac_equal(body->sha, p->smac) && mac_equal(body->sha, port->mac))
		return 0;
	return DROP_SPOOF_ARP;
}

static __always_inline int endpoint_check_ipv4(struct pkt *p, __u32 ifindex)
{
	struct endpoint_binding *binding;
	struct endpoint_port *port;
	int is_dhcp = p->proto == IPPROTO_UDP && p->has_ports && p->sport == bpf_htons(DHCP_CLIENT_PORT) &&
		      p->dport == bpf_htons(DHCP_SERVER_PORT);

	binding = binding_lookup(ifindex, ADDR_FAMILY_V4, p->saddr);
	if (binding) {
		if (!mac_equal(binding->mac, p->smac))
			return DROP_SPOOF_MAC;
		p->network_id = binding->network_id;
		/* Only broadcast DHCP skips the firewall; unicast renewals are ordinary traffic to the server. */
		p->bypass_policy = is_dhcp && *(__u32 *)p->daddr == 0xffffffff;
		return 0;
	}
	port = port_lookup(ifindex, p);
	if (!port)
		return DROP_UNKNOWN_PORT;
	if (*(__u32 *)p->saddr != 0)
		return DROP_SPOOF_IP;
	if (is_dhcp && (port->flags & PORT_F_DHCP_CLIENT) && mac_equal(p->smac, port->mac)) {
		p->bypass_policy = 1;
		return 0;
	}
	return DROP_NO_LEASE;
}

/* A neighbour advertisement may only announce an address bound to this port, with its bound MAC. */
static __always_inline int endpoint_check_na(ctx_t *ctx, struct pkt *p, __u32 ifindex, const __u8 *port_mac)
{
	void *data = ctx_data(ctx);
	void *data_end = ctx_data_end(ctx);
	__u8 *na = data + p->l4_off;
	__u8 *target = na + 8;
	__u8 *opt = na + 24;
	struct endpoint_binding *binding;

	if (p->l4_off != ETH_HLEN_NOVLAN + sizeof(struct ipv6hdr))
		return DROP_MALFORMED;
	if ((void *)(na + 24) > data_end)
		return DROP_MALFORMED;
	binding = binding_lookup(ifindex, ADDR_FAMILY_V6, target);
	if (!binding) {
		if (is_link_local_v6(target) && port_mac && mac_equal(p->smac, port_mac))
			return 0;
		return DROP_SPOOF_ND;
	}
	if ((void *)(opt + 8) <= data_end && opt[0] == ND_OPT_TARGET_LLADDR && !mac_equal(opt + 2, binding->mac))
		return DROP_SPOOF_ND;
	return 0;
}

static __always_inline int endpoint_check_ipv6(ctx_t *ctx, struct pkt *p, __u32 ifindex)
{
	struct endpoint_binding *binding;
	struct endpoint_port *port = 0;
	int is_nd = p->proto == IPPROTO_ICMPV6 && p->icmp6_type >= ND_ROUTER_SOLICIT &&
		    p->icmp6_type <= ND_REDIRECT;

	binding = binding_lookup(ifindex, ADDR_FAMILY_V6, p->saddr);
	if (binding) {
		if (!mac_equal(binding->mac, p->smac))
			return DROP_SPOOF_MAC;
		p->network_id = binding->network_id;
	} else {
		port = port_lookup(ifindex, p);
		if (!port)
			return DROP_UNKNOWN_PORT;
		if (!mac_equal(p->smac, port->mac))
			return DROP_SPOOF_IP;
		if (is_zero_v6(p->saddr)) {
			/* Duplicate address detection and MLD reports are sent before an address is usable. */
			if (p->proto != IPPROTO_ICMPV6 || p->icmp6_type == ND_NEIGHBOR_ADVERT)
				return p->proto == IPPROTO_ICMPV6 ? DROP_SPOOF_ND : DROP_NO_LEASE;
			p->bypass_policy = 1;
			return 0;
		}
		if (!is_link_local_v6(p->saddr))
			return DROP_SPOOF_IP;
	}
	if (!is_nd)
		return 0;
	/* Workloads are hosts: a router advertisement or redirect from one is a hijack attempt. */
	if (p->icmp6_type == ND_ROUTER_ADVERT || p->icmp6_type == ND_REDIRECT)
		return DROP_SPOOF_ND;
	p->bypass_policy = 1;
	if (p->icmp6_type == ND_NEIGHBOR_ADVERT)
		return endpoint_check_na(ctx, p, ifindex, port ? port->mac : 0);
	return 0;
}

static __always_inline int endpoint_check(ctx_t *ctx, struct pkt *p, __u32 ifindex)
{
	if (p->eth_proto == bpf_htons(ETH_P_ARP))
		return endpoint_check_arp(ctx, p, ifindex);
	if (p->family == ADDR_FAMILY_V4)
		return endpoint_check_ipv4(p, ifindex);
	return endpoint_check_ipv6(ctx, p, ifindex);
}

#endif
