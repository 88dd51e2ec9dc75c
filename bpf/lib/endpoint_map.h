/* SPDX-License-Identifier: GPL-2.0 */
#ifndef STRATUM_ENDPOINT_MAP_H
#define STRATUM_ENDPOINT_MAP_H

#include "endpoint_types.h"

#define ENDPOINT_PORTS_MAX 4096
#define ENDPOINT_BINDINGS_MAX 131072

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, struct endpoint_port);
	__uint(max_entries, ENDPOINT_PORTS_MAX);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} endpoint_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct endpoint_binding_key);
	__type(value, struct endpoint_binding);
	__uint(max_entries, ENDPOINT_BINDINGS_MAX);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} endpoint_bindings SEC(".maps");

#endif
