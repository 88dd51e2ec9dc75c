// SPDX-License-Identifier: GPL-2.0
/* Attached with `ip link set dev PORT xdp`: packets a workload sends, dropped before an skb exists. */
#define STRATUM_XDP
#include "lib/from_endpoint.h"

SEC("xdp")
int xdp_from_endpoint(struct xdp_md *ctx)
{
	return handle_from_endpoint(ctx);
}

char LICENSE[] SEC("license") = "GPL";
