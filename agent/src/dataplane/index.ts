export type {
  Dataplane,
  DataplaneReader,
  DataplaneStatus,
  DropCounter,
  EndpointStatus,
  MapStatus,
  ProgramStatus,
} from "./dataplane.ts";
export { DataplaneError, type DataplaneErrorCode } from "./errors.ts";
export { FakeDataplane } from "./fake-dataplane.ts";
export { DEFAULT_BPFFS, LinuxDataplane, type LinuxDataplaneOptions } from "./linux/linux-dataplane.ts";
export type { TBinding, TEndpointSpec, TFirewallPolicy, TFirewallRule, TLbService } from "./model.ts";

import type { Dataplane } from "./dataplane.ts";
import { FakeDataplane } from "./fake-dataplane.ts";
import { LinuxDataplane, type LinuxDataplaneOptions } from "./linux/linux-dataplane.ts";

/** Simulate mode gets the fake; every other mode drives the kernel. */
export function createDataplane(
  mode: { simulate: true } | ({ simulate: false } & LinuxDataplaneOptions),
): Dataplane {
  return mode.simulate ? new FakeDataplane() : new LinuxDataplane(mode);
}
