/* SPDX-License-Identifier: GPL-2.0 */
#ifndef STRATUM_CTX_H
#define STRATUM_CTX_H

/*
 * One context layer for XDP and TC: the pipeline in the other headers only
 * talks to ctx_* so the same logic runs at both attach points. Entry files
 * define STRATUM_XDP before including anything.
 */
#include "common.h"
#include <linux/pkt_cls.h>

/* Mirrors BPF_F_PSEUDO_HDR / BPF_F_MARK_MANGLED_0 so XDP callers pass the same flags. */
#define CSUM_F_PSEUDO BPF_F_PSEUDO_HDR
#define CSUM_F_UDP BPF_F_MARK_MANGLED_0

#ifdef STRATUM_XDP
typedef struct xdp_md ctx_t;
#define CTX_ACT_OK XDP_PASS
#define CTX_ACT_DROP XDP_DROP

/* Sends the (rewritten) packet back out of the port it came in on. */
static __always_inline int ctx_reflect(ctx_t *ctx) { return XDP_TX; }

static __always_inline void *ctx_data(ctx_t *ctx) { return (void *)(long)ctx->data; }
static __always_inline void *ctx_data_end(ctx_t *ctx) { return (void *)(long)ctx->data_end; }
static __always_inline __u32 ctx_ifindex(ctx_t *ctx) { return ctx->ingress_ifindex; }
static __always_inline __u64 ctx_len(ctx_t *ctx) { return ctx->data_end - ctx->data; }
static __always_inline int ctx_prepare(ctx_t *ctx) { return 0; }

static __always_inline int ctx_load_bytes(ctx_t *ctx, __u32 off, void *to, __u32 len)
{
	return bpf_xdp_load_bytes(ctx, off, to, len);
}

static __always_inline int ctx_store_bytes(ctx_t *ctx, __u32 off, const void *from, __u32 len)
{
	return bpf_xdp_store_bytes(ctx, off, (void *)from, len);
}

static __always_inline __u16 csum_fold32(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)sum;
}

/* RFC 1624 incremental update; XDP has no checksum helpers, and XDP frames carry full checksums. */
static __always_inline int csum_update(ctx_t *ctx, __u32 off, __u32 from, __u32 to, __u32 size,
				       int udp)
{
	__u16 old;
	__u32 sum;
	__u16 next;

	if (ctx_load_bytes(ctx, off, &old, sizeof(old)) < 0)
		return -1;
	if (udp && old == 0)
		return 0;
	sum = (__u16)~old;
	if (size == 4) {
		sum += (~from & 0xffff) + (~from >> 16);
		sum += (to & 0xffff) + (to >> 16);
	} else {
		sum += (__u16)~from;
		sum += (__u16)to;
	}
	next = ~csum_fold32(sum);
	if (udp && next == 0)
		next = 0xffff;
	return ctx_store_bytes(ctx, off, &next, sizeof(next));
}

static __always_inline int ctx_l3_csum_replace(ctx_t *ctx, __u32 off, __u32 from, __u32 to, __u32 size)
{
	return csum_update(ctx, off, from, to, size, 0);
}

static __always_inline int ctx_l4_csum_replace(ctx_t *ctx, __u32 off, __u32 from, __u32 to, __u64 flags)
{
	return csum_update(ctx, off, from, to, flags & 0xf, flags & CSUM_F_UDP);
}

#else
typedef struct __sk_buff ctx_t;
#define CTX_ACT_OK TC_ACT_OK
#define CTX_ACT_DROP TC_ACT_SHOT

/* Sends the (rewritten) packet back out of the port it came in on. */
static __always_inline int ctx_reflect(ctx_t *ctx) { return bpf_redirect(ctx->ifindex, 0); }

static __always_inline void *ctx_data(ctx_t *ctx) { return (void *)(long)ctx->data; }
static __always_inline void *ctx_data_end(ctx_t *ctx) { return (void *)(long)ctx->data_end; }
static __always_inline __u32 ctx_ifindex(ctx_t *ctx) { return ctx->ifindex; }
static __always_inline __u64 ctx_len(ctx_t *ctx) { return ctx->len; }

/*
 * Headers may sit in paged data on the TC path; make them directly readable.
 * Pulling costs even when there is nothing to pull (and copies cloned skbs),
 * so only when the linear part is short.
 */
static __always_inline int ctx_prepare(ctx_t *ctx)
{
	__u32 want = 14 + 40 + 40;
	__u32 linear = ctx->data_end - ctx->data;

	if (linear >= want || linear >= ctx->len)
		return 0;
	return bpf_skb_pull_data(ctx, ctx->len < want ? ctx->len : want);
}

static __always_inline int ctx_load_bytes(ctx_t *ctx, __u32 off, void *to, __u32 len)
{
	return bpf_skb_load_bytes(ctx, off, to, len);
}

static __always_inline int ctx_store_bytes(ctx_t *ctx, __u32 off, const void *from, __u32 len)
{
	return bpf_skb_store_bytes(ctx, off, from, len, 0);
}

/* The kernel helpers also handle CHECKSUM_PARTIAL skbs, which veth hands us for local traffic. */
static __always_inline int ctx_l3_csum_replace(ctx_t *ctx, __u32 off, __u32 from, __u32 to, __u32 size)
{
	return bpf_l3_csum_replace(ctx, off, from, to, size);
}

static __always_inline int ctx_l4_csum_replace(ctx_t *ctx, __u32 off, __u32 from, __u32 to, __u64 flags)
{
	return bpf_l4_csum_replace(ctx, off, from, to, flags);
}
#endif

#endif
