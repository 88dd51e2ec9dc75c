/* SPDX-License-Identifier: GPL-2.0 */
#ifndef STRATUM_COUNTERS_MAP_H
#define STRATUM_COUNTERS_MAP_H

#include "counters_types.h"

#define DROP_COUNTERS_MAX 16384

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__type(key, struct drop_key);
	__type(value, struct drop_count);
	__uint(max_entries, DROP_COUNTERS_MAX);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} drop_counters SEC(".maps");

#endif
