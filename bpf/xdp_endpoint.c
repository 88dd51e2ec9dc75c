// SPDX-License-Identifier: GPL-2.0
/*
 * Attached with `ip link set dev PORT xdp`: packets a workload sends, dropped
 * before the stack spends anything on them. The load balancer's checksum
 * updates here assume full checksums (what BPF_PROG_TEST_RUN, NICs and taps
 * without offload deliver); a veth peer's CHECKSUM_PARTIAL packets need the
 * TC program, whose kernel helpers handle both, which is why TC is the default.
 * Likewise the ARP answers for VIPs leave with XDP_TX, which a veth peer only
 * receives when it runs NAPI (GRO or its own XDP program); taps always do.
 */
#define STRATUM_XDP
#include "lib/from_endpoint.h"

SEC("xdp")
int xdp_from_endpoint(struct xdp_md *ctx)
{
	return handle_from_endpoint(ctx);
}

char LICENSE[] SEC("license") = "GPL";
