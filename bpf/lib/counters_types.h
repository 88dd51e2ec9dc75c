/* SPDX-License-Identifier: GPL-2.0 */
#ifndef STRATUM_COUNTERS_TYPES_H
#define STRATUM_COUNTERS_TYPES_H

#include "drop_reasons.h"
#include "common.h"

struct drop_key {
	__u32 ifindex;
	enum drop_reason reason;
};

struct drop_count {
	__u64 packets;
	__u64 bytes;
};

#endif
