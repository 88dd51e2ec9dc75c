/* SPDX-License-Identifier: GPL-2.0 */
#ifndef STRATUM_LB_MAP_H
#define STRATUM_LB_MAP_H

#include "lb_types.h"

#define LB_BACKENDS_MAX 4096

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct lb_service_key);
	__type(value, struct lb_service);
	__uint(max_entries, LB_SERVICES_MAX);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} lb_services SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __be32);
	__type(value, struct lb_vip);
	__uint(max_entries, LB_SERVICES_MAX);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} lb_vips SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, struct lb_backend);
	__uint(max_entries, LB_BACKENDS_MAX);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} lb_backends SEC(".maps");

/* Row service_id * LB_MAGLEV_SIZE .. +LB_MAGLEV_SIZE holds that service's lookup table of backend ids. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, LB_SERVICES_MAX * LB_MAGLEV_SIZE);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} lb_maglev SEC(".maps");

#endif
