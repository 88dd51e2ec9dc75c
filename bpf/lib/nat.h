/* SPDX-License-Identifier: GPL-2.0 */
#ifndef STRATUM_NAT_H
#define STRATUM_NAT_H

#include "parse.h"

static __always_inline __u32 l4_csum_off(const struct pkt *p)
{
	return p->l4_off + (p->proto == IPPROTO_TCP ? 16 : 6);
}

static __always_inline __u64 l4_csum_flags(const struct pkt *p)
{
	return p->proto == IPPROTO_UDP ? CSUM_F_UDP : 0;
}

/* Rewrites an IPv4 address and L4 port at the given offsets, keeping both checksums valid. */
static __always_inline int nat_rewrite_v4(ctx_t *ctx, const struct pkt *p, __u32 addr_off, __be32 from_addr,
					  __be32 to_addr, __u32 port_off, __be16 from_port, __be16 to_port)
{
	__u32 csum_off = l4_csum_off(p);
	__u64 flags = l4_csum_flags(p);

	if (ctx_l4_csum_replace(ctx, csum_off, from_addr, to_addr, flags | CSUM_F_PSEUDO | 4) < 0)
		return -1;
	if (ctx_l3_csum_replace(ctx, IPV4_CSUM_OFF, from_addr, to_addr, 4) < 0)
		return -1;
	if (ctx_store_bytes(ctx, addr_off, &to_addr, 4) < 0)
		return -1;
	if (from_port == to_port)
		return 0;
	if (ctx_l4_csum_replace(ctx, csum_off, from_port, to_port, flags | 2) < 0)
		return -1;
	return ctx_store_bytes(ctx, port_off, &to_port, 2);
}

#endif
