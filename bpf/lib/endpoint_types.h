/* SPDX-License-Identifier: GPL-2.0 */
#ifndef STRATUM_ENDPOINT_TYPES_H
#define STRATUM_ENDPOINT_TYPES_H

#include "common.h"

/* The port may send DHCP from 0.0.0.0 before it holds a lease. */
#define PORT_F_DHCP_CLIENT 0x1

/* Value of endpoint_ports, keyed by the ifindex of the host side of the port. */
struct endpoint_port {
	__u32 network_id;
	__u8 mac[6];
	__u16 flags;
};

struct endpoint_binding_key {
	__u32 ifindex;
	__u8 family;
	__u8 pad[3];
	__u8 addr[16];
};

/* Carries the port's network so a bound packet needs no lookup of its port. */
struct endpoint_binding {
	__u8 mac[6];
	__u16 flags;
	__u32 network_id;
};

#endif
