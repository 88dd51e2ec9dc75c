/* SPDX-License-Identifier: GPL-2.0 */
#ifndef STRATUM_CONNTRACK_MAP_H
#define STRATUM_CONNTRACK_MAP_H

#include "conntrack_types.h"

#define CT_MAX 262144

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, struct ct_key);
	__type(value, struct ct_entry);
	__uint(max_entries, CT_MAX);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} conntrack SEC(".maps");

#endif
