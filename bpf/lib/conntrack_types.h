/* SPDX-License-Identifier: GPL-2.0 */
#ifndef STRATUM_CONNTRACK_TYPES_H
#define STRATUM_CONNTRACK_TYPES_H

#include "common.h"

/*
 * A flow a workload sent and its network let out (post-DNAT tuple), a
 * client's pick of backend (pre-DNAT tuple), or a flow a workload's network
 * let in (tuple as received).
 */
#define CT_KIND_FLOW 0
#define CT_KIND_SERVICE 1
#define CT_KIND_INGRESS 2

struct ct_key {
	__u8 saddr[16];
	__u8 daddr[16];
	__be16 sport;
	__be16 dport;
	__u8 proto;
	__u8 family;
	__u8 kind;
	__u8 pad;
};

struct ct_entry {
	__u64 expires_ns;
	__u32 backend_id;
	__be32 rev_vip;
	__be16 rev_port;
	__u8 rev_mac[6];
};

#endif
