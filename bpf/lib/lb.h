/* SPDX-License-Identifier: GPL-2.0 */
#ifndef STRATUM_LB_H
#define STRATUM_LB_H

/*
 * L4 load balancer: a packet to a service VIP:port gets its destination
 * rewritten to a backend picked through the service's Maglev table. The pick
 * is remembered per client flow so the flow stays on its backend while the
 * table changes; the conntrack entry of the rewritten flow carries the VIP
 * back so replies are translated on their way out of the backend's port.
 */
#include "nat.h"
#include "lb_map.h"
#include "conntrack.h"

static __always_inline __u32 flow_hash(const struct pkt *p)
{
	__u32 h = *(__u32 *)p->saddr * 0x9e3779b1u;

	h ^= *(__u32 *)p->daddr;
	h ^= (((__u32)p->sport << 16) | p->dport) * 0x85ebca6bu;
	h ^= p->proto;
	h ^= h >> 16;
	h *= 0x7feb352du;
	h ^= h >> 15;
	h *= 0x846ca68bu;
	h ^= h >> 16;
	return h;
}

static __always_inline struct lb_backend *lb_pick(const struct pkt *p, const struct lb_service *svc,
						  __u32 *backend_id, __u64 now)
{
	struct ct_key key;
	struct ct_entry *sticky;
	struct lb_backend *backend;
	__u32 slot;
	__u32 *id;

	ct_key_from_pkt(&key, p, CT_KIND_SERVICE);
	sticky = ct_touch(&key, p->proto, now);
	if (sticky) {
		backend = bpf_map_lookup_elem(&lb_backends, &sticky->backend_id);
		if (backend) {
			*backend_id = sticky->backend_id;
			return backend;
		}
	}
	if (svc->backend_count == 0 || svc->service_id >= LB_SERVICES_MAX)
		return 0;
	slot = svc->service_id * LB_MAGLEV_SIZE + flow_hash(p) % LB_MAGLEV_SIZE;
	id = bpf_map_lookup_elem(&lb_maglev, &slot);
	if (!id)
		return 0;
	backend = bpf_map_lookup_elem(&lb_backends, id);
	if (!backend)
		return 0;
	{
		struct ct_entry pick = { .expires_ns = now + ct_timeout_ns(p->proto), .backend_id = *id };

		bpf_map_update_elem(&conntrack, &key, &pick, BPF_ANY);
	}
	*backend_id = *id;
	return backend;
}

static __always_inline int lb_dnat(ctx_t *ctx, struct pkt *p, __u64 now)
{
	struct lb_service_key key = { .port = p->dport, .proto = p->proto };
	struct lb_service *svc;
	struct lb_backend *backend;
	__u32 backend_id = 0;
	__be32 vip;

	if (p->family != ADDR_FAMILY_V4 || !p->has_ports)
		return 0;
	key.vip = *(__be32 *)p->daddr;
	svc = bpf_map_lookup_elem(&lb_services, &key);
	if (!svc)
		return 0;
	backend = lb_pick(p, svc, &backend_id, now);
	if (!backend)
		return DROP_LB_NO_BACKEND;
	vip = key.vip;
	if (nat_rewrite_v4(ctx, p, IPV4_DADDR_OFF, vip, backend->addr, p->l4_off + 2, p->dport, backend->port) < 0)
		return DROP_MALFORMED;
	if (ctx_store_bytes(ctx, 0, backend->mac, ETH_ALEN) < 0)
		return DROP_MALFORMED;
	p->dnat = 1;
	p->rev_vip = vip;
	p->rev_port = p->dport;
	mac_copy(p->rev_mac, svc->vip_mac);
	*(__be32 *)p->daddr = backend->addr;
	p->dport = backend->port;
	mac_copy(p->dmac, backend->mac);
	return 0;
}

#define ARP_OP_REQUEST 1
#define ARP_OP_REPLY 2
#define ARP_OFF (ETH_HLEN_NOVLAN)

/*
 * No host owns a VIP, so the data plane answers ARP for it: the request is
 * turned into the reply in place and sent back out of the asking port.
 * Returns 1 when the packet became a reply.
 */
static __always_inline int lb_answer_arp(ctx_t *ctx)
{
	struct arphdr arp;
	struct arp_eth_body body;
	struct lb_vip *vip;
	__be16 reply = bpf_htons(ARP_OP_REPLY);

	if (ctx_load_bytes(ctx, ARP_OFF, &arp, sizeof(arp)) < 0 ||
	    ctx_load_bytes(ctx, ARP_OFF + sizeof(arp), &body, sizeof(body)) < 0)
		return 0;
	if (arp.ar_op != bpf_htons(ARP_OP_REQUEST))
		return 0;
	vip = bpf_map_lookup_elem(&lb_vips, body.tpa);
	if (!vip)
		return 0;
	__builtin_memcpy(body.tha, body.sha, ETH_ALEN);
	__builtin_memcpy(body.sha, vip->mac, ETH_ALEN);
	{
		__u8 asker[4];

		__builtin_memcpy(asker, body.spa, 4);
		__builtin_memcpy(body.spa, body.tpa, 4);
		__builtin_memcpy(body.tpa, asker, 4);
	}
	if (ctx_store_bytes(ctx, 0, body.tha, ETH_ALEN) < 0 || ctx_store_bytes(ctx, ETH_ALEN, vip->mac, ETH_ALEN) < 0 ||
	    ctx_store_bytes(ctx, ARP_OFF + 6, &reply, sizeof(reply)) < 0 ||
	    ctx_store_bytes(ctx, ARP_OFF + sizeof(arp), &body, sizeof(body)) < 0)
		return 0;
	return 1;
}

/* Replies leave the backend's port from the backend's address: show the client the VIP instead. */
static __always_inline int lb_reverse_nat(ctx_t *ctx, const struct pkt *p, const struct ct_entry *flow)
{
	if (nat_rewrite_v4(ctx, p, IPV4_SADDR_OFF, *(__be32 *)p->saddr, flow->rev_vip, p->l4_off, p->sport,
			   flow->rev_port) < 0)
		return DROP_MALFORMED;
	if (ctx_store_bytes(ctx, ETH_ALEN, flow->rev_mac, ETH_ALEN) < 0)
		return DROP_MALFORMED;
	return 0;
}

#endif
