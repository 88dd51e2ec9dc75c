/* SPDX-License-Identifier: GPL-2.0 */
#ifndef STRATUM_DROP_REASONS_H
#define STRATUM_DROP_REASONS_H

/*
 * The one list of reasons a packet is dropped. The agent mirrors it in
 * agent/src/dataplane/maps/drop-counters.ts and a test compares both through
 * the object's BTF, so values are never renumbered, only appended.
 */
enum drop_reason {
	DROP_MALFORMED = 1,
	DROP_UNKNOWN_PORT = 2,
	DROP_ETHERTYPE = 3,
	DROP_SPOOF_MAC = 4,
	DROP_SPOOF_IP = 5,
	DROP_SPOOF_ARP = 6,
	DROP_SPOOF_ND = 7,
	DROP_NO_LEASE = 8,
	DROP_POLICY_DENY = 9,
	DROP_POLICY_DEFAULT = 10,
	DROP_LB_NO_BACKEND = 11,
	DROP_POLICY_INGRESS_DENY = 12,
	DROP_POLICY_INGRESS_DEFAULT = 13,
};

#endif
