/* SPDX-License-Identifier: GPL-2.0 */
#ifndef STRATUM_PARSE_H
#define STRATUM_PARSE_H

#include "ctx.h"
#include "drop_reasons.h"
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/icmpv6.h>

#define ETH_HLEN_NOVLAN 14
#define IPV4_SADDR_OFF (ETH_HLEN_NOVLAN + 12)
#define IPV4_DADDR_OFF (ETH_HLEN_NOVLAN + 16)
#define IPV4_CSUM_OFF (ETH_HLEN_NOVLAN + 10)

/* linux/if_arp.h drags in libc headers that do not exist for the BPF target. */
#define ARPHRD_ETHER 1

struct arphdr {
	__be16 ar_hrd;
	__be16 ar_pro;
	__u8 ar_hln;
	__u8 ar_pln;
	__be16 ar_op;
};

struct arp_eth_body {
	__u8 sha[ETH_ALEN];
	__u8 spa[4];
	__u8 tha[ETH_ALEN];
	__u8 tpa[4];
} __attribute__((packed));

/*
 * Everything later stages need, copied out of the packet once: TC helpers that
 * rewrite the packet invalidate packet pointers, offsets stay valid.
 */
struct pkt {
	__u8 smac[ETH_ALEN];
	__u8 dmac[ETH_ALEN];
	__be16 eth_proto;
	__u8 family;
	__u8 proto;
	__u8 has_ports;
	__u8 bypass_policy;
	__u8 dnat;
	__u8 icmp6_type;
	__u32 l4_off;
	__u32 network_id;
	__be16 sport;
	__be16 dport;
	__u8 saddr[16];
	__u8 daddr[16];
	__be32 rev_vip;
	__be16 rev_port;
	__u8 rev_mac[ETH_ALEN];
};

static __always_inline int parse_l4_ports(struct pkt *p, void *l4, void *data_end)
{
	__u32 need;

	if (p->proto == IPPROTO_TCP)
		need = 20;
	else if (p->proto == IPPROTO_UDP)
		need = 8;
	else
		return 0;
	if (l4 + need > data_end)
		return DROP_MALFORMED;
	p->sport = ((__be16 *)l4)[0];
	p->dport = ((__be16 *)l4)[1];
	p->has_ports = 1;
	return 0;
}

static __always_inline int parse_ipv4(ctx_t *ctx, struct pkt *p)
{
	void *data = ctx_data(ctx);
	void *data_end = ctx_data_end(ctx);
	struct iphdr *iph = data + ETH_HLEN_NOVLAN;
	__u32 ihl_len;

	if ((void *)(iph + 1) > data_end)
		return DROP_MALFORMED;
	ihl_len = iph->ihl * 4;
	if (ihl_len < sizeof(*iph))
		return DROP_MALFORMED;
	p->family = ADDR_FAMILY_V4;
	p->proto = iph->protocol;
	__builtin_memcpy(p->saddr, &iph->saddr, 4);
	__builtin_memcpy(p->daddr, &iph->daddr, 4);
	p->l4_off = ETH_HLEN_NOVLAN + ihl_len;
	/* Later fragments carry no L4 header: they match on addresses and protocol only. */
	if (iph->frag_off & bpf_htons(0x1fff))
		return 0;
	return parse_l4_ports(p, (void *)iph + ihl_len, data_end);
}

static __always_inline int parse_ipv6(ctx_t *ctx, struct pkt *p)
{
	void *data = ctx_data(ctx);
	void *data_end = ctx_data_end(ctx);
	struct ipv6hdr *ip6h = data + ETH_HLEN_NOVLAN;
	void *l4 = (void *)(ip6h + 1);

	if (l4 > data_end)
		return DROP_MALFORMED;
	p->family = ADDR_FAMILY_V6;
	p->proto = ip6h->nexthdr;
	__builtin_memcpy(p->saddr, &ip6h->saddr, 16);
	__builtin_memcpy(p->daddr, &ip6h->daddr, 16);
	p->l4_off = ETH_HLEN_NOVLAN + sizeof(*ip6h);
	if (p->proto == IPPROTO_ICMPV6) {
		if (l4 + sizeof(struct icmp6hdr) > data_end)
			return DROP_MALFORMED;
		p->icmp6_type = ((struct icmp6hdr *)l4)->icmp6_type;
		return 0;
	}
	return parse_l4_ports(p, l4, data_end);
}

static __always_inline int parse_packet(ctx_t *ctx, struct pkt *p)
{
	void *data = ctx_data(ctx);
	void *data_end = ctx_data_end(ctx);
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > data_end)
		return DROP_MALFORMED;
	mac_copy(p->smac, eth->h_source);
	mac_copy(p->dmac, eth->h_dest);
	p->eth_proto = eth->h_proto;
	switch (eth->h_proto) {
	case bpf_htons(ETH_P_IP):
		return parse_ipv4(ctx, p);
	case bpf_htons(ETH_P_IPV6):
		return parse_ipv6(ctx, p);
	case bpf_htons(ETH_P_ARP):
		return 0;
	default:
		return DROP_ETHERTYPE;
	}
}

#endif
