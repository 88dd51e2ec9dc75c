import { z } from "zod";

/**
 * Protocol versions are integers. A version changes only when a frame changes incompatibly;
 * adding an optional field does not bump it, because parsers strip unknown keys.
 */
export const PROTOCOL_VERSION = 1;
/** The oldest version this build still speaks; raise it only when dropping an old wire format. */
export const MIN_PROTOCOL_VERSION = 1;

export const ZProtocolVersion = z.number().int().min(1).max(65_535);

export const ZProtocolRange = z
  .object({ min: ZProtocolVersion, max: ZProtocolVersion })
  .refine((range) => range.min <= range.max, { message: "protocol.min must be <= protocol.max" });
export type TProtocolRange = z.infer<typeof ZProtocolRange>;

export const SUPPORTED_PROTOCOL_RANGE: TProtocolRange = { min: MIN_PROTOCOL_VERSION, max: PROTOCOL_VERSION };

export type TNegotiationResult =
  | { ok: true; version: number }
  | { ok: false; reason: string; offered: TProtocolRange; supported: TProtocolRange };

/**
 * The hub picks the highest version both sides speak. The agent offers a range so that a newer agent
 * keeps working against an older panel during a rolling upgrade.
 */
export function negotiateProtocolVersion(
  offered: TProtocolRange,
  supported: TProtocolRange = SUPPORTED_PROTOCOL_RANGE,
): TNegotiationResult {
  const version = Math.min(offered.max, supported.max);
  if (version >= Math.max(offered.min, supported.min)) return { ok: true, version };
  const direction = offered.max < supported.min ? "agent is too old" : "agent is too new";
  return {
    ok: false,
    offered,
    supported,
    reason: `incompatible protocol: agent speaks ${offered.min}..${offered.max}, panel speaks ${supported.min}..${supported.max} (${direction}; upgrade the older side)`,
  };
}
