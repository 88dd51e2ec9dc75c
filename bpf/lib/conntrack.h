/* SPDX-License-Identifier: GPL-2.0 */
#ifndef STRATUM_CONNTRACK_H
#define STRATUM_CONNTRACK_H

#include "parse.h"
#include "conntrack_map.h"

/* Times come from bpf_ktime_get_coarse_ns: tick resolution is plenty for lifetimes and costs a fraction of a clock read. */
#define CT_TIMEOUT_TCP_NS (3600ULL * 1000000000ULL)
#define CT_TIMEOUT_OTHER_NS (120ULL * 1000000000ULL)
/* Lifetimes are extended at most this often, so established flows do not dirty their entry's cache line per packet. */
#define CT_REFRESH_NS (1000000000ULL)

static __always_inline __u64 ct_timeout_ns(__u8 proto)
{
	return proto == IPPROTO_TCP ? CT_TIMEOUT_TCP_NS : CT_TIMEOUT_OTHER_NS;
}

static __always_inline void ct_key_from_pkt(struct ct_key *key, const struct pkt *p, __u8 kind)
{
	__builtin_memcpy(key->saddr, p->saddr, 16);
	__builtin_memcpy(key->daddr, p->daddr, 16);
	key->sport = p->sport;
	key->dport = p->dport;
	key->proto = p->proto;
	key->family = p->family;
	key->kind = kind;
	key->pad = 0;
}

static __always_inline void ct_key_reverse_of_pkt(struct ct_key *key, const struct pkt *p, __u8 kind)
{
	__builtin_memcpy(key->saddr, p->daddr, 16);
	__builtin_memcpy(key->daddr, p->saddr, 16);
	key->sport = p->dport;
	key->dport = p->sport;
	key->proto = p->proto;
	key->family = p->family;
	key->kind = kind;
	key->pad = 0;
}

/* Returns the live entry for the key and extends its lifetime, or NULL. */
static __always_inline struct ct_entry *ct_touch(const struct ct_key *key, __u8 proto, __u64 now)
{
	struct ct_entry *entry = bpf_map_lookup_elem(&conntrack, key);
	__u64 expires;

	if (!entry || entry->expires_ns <= now)
		return 0;
	expires = now + ct_timeout_ns(proto);
	if (expires - entry->expires_ns > CT_REFRESH_NS)
		entry->expires_ns = expires;
	return entry;
}

static __always_inline void ct_create(const struct ct_key *key, const struct pkt *p, __u64 now)
{
	struct ct_entry entry = {
		.expires_ns = now + ct_timeout_ns(p->proto),
		.rev_vip = p->rev_vip,
		.rev_port = p->rev_port,
	};

	mac_copy(entry.rev_mac, p->rev_mac);
	bpf_map_update_elem(&conntrack, key, &entry, BPF_ANY);
}

#endif
