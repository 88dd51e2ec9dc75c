/* SPDX-License-Identifier: GPL-2.0 */
#ifndef STRATUM_LB_TYPES_H
#define STRATUM_LB_TYPES_H

#include "common.h"

/* Prime, and about 100x the backends a service may have, as Maglev needs for even spread. */
#define LB_MAGLEV_SIZE 1021
#define LB_SERVICES_MAX 64

struct lb_service_key {
	__be32 vip;
	__be16 port;
	__u8 proto;
	__u8 pad;
};

struct lb_service {
	__u32 service_id;
	__u32 backend_count;
	__u8 vip_mac[6];
	__u16 pad;
};

/* Value of lb_vips, keyed by the VIP: what the data plane answers ARP requests for the VIP with. */
struct lb_vip {
	__u8 mac[6];
	__u16 pad;
};

struct lb_backend {
	__be32 addr;
	__be16 port;
	__u8 mac[6];
};

#endif
