/* SPDX-License-Identifier: GPL-2.0 */
#ifndef STRATUM_POLICY_TYPES_H
#define STRATUM_POLICY_TYPES_H

#include "common.h"

#define POLICY_ALLOW 1
#define POLICY_DENY 2

/* Egress rules match what a network's workloads send (remote = destination), ingress rules what they receive (remote = source). */
#define POLICY_EGRESS 0
#define POLICY_INGRESS 1

/*
 * One LPM lookup must decide: the agent copies every rule of a covering
 * (shorter) prefix into each longer prefix's entry, in priority order, so the
 * longest match already holds every rule that applies to the address.
 */
#define POLICY_MAX_RULES 16

/* prefixlen counts network_id, direction and family (48 bits) plus the address bits. */
struct policy_key {
	__u32 prefixlen;
	__u32 network_id;
	__u8 direction;
	__u8 family;
	__u8 addr[16];
	__u8 pad[2];
};

struct policy_rule {
	__u8 proto;
	__u8 action;
	__u16 port_lo;
	__u16 port_hi;
	__u16 pad;
};

struct policy_entry {
	__u32 count;
	struct policy_rule rules[POLICY_MAX_RULES];
};

struct policy_network {
	__u8 egress_default;
	__u8 ingress_default;
	__u8 pad[2];
};

#endif
