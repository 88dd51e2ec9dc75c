// SPDX-License-Identifier: GPL-2.0
/* Attached with `tc filter add dev PORT ingress bpf da`: packets a workload sends. */
#include "lib/from_endpoint.h"

SEC("tc")
int from_endpoint(struct __sk_buff *ctx)
{
	return handle_from_endpoint(ctx);
}

char LICENSE[] SEC("license") = "GPL";
