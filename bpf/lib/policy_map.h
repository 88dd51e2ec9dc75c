/* SPDX-License-Identifier: GPL-2.0 */
#ifndef STRATUM_POLICY_MAP_H
#define STRATUM_POLICY_MAP_H

#include "policy_types.h"

#define POLICY_PREFIXES_MAX 65536
#define POLICY_NETWORKS_MAX 1024

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__type(key, struct policy_key);
	__type(value, struct policy_entry);
	__uint(max_entries, POLICY_PREFIXES_MAX);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} policy_rules SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, struct policy_network);
	__uint(max_entries, POLICY_NETWORKS_MAX);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} policy_networks SEC(".maps");

#endif
