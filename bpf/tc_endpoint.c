// SPDX-License-Identifier: GPL-2.0
/*
 * Both directions of a workload port. iproute2 picks a program by section
 * name and the libbpf it links knows SCHED_CLS as "tc" and "classifier", so
 * the two programs use one each:
 *   tc filter add dev PORT ingress bpf da obj tc_endpoint.o sec tc          (what the workload sends)
 *   tc filter add dev PORT egress bpf da obj tc_endpoint.o sec classifier   (what it receives)
 */
#include "lib/from_endpoint.h"
#include "lib/to_endpoint.h"

SEC("tc")
int from_endpoint(struct __sk_buff *ctx)
{
	return handle_from_endpoint(ctx);
}

SEC("classifier")
int to_endpoint(struct __sk_buff *ctx)
{
	return handle_to_endpoint(ctx);
}

char LICENSE[] SEC("license") = "GPL";
