import type { StructLayout } from "./layout.ts";
import { scalarLayout } from "./layout.ts";

export const LB_VIPS_MAP = "lb_vips";

export const lbVipKeyLayout = scalarLayout("__be32", 4);

export const lbVipLayout: StructLayout = {
  cName: "lb_vip",
  size: 8,
  fields: { mac: { offset: 0, size: 6 } },
};

export function encodeLbVipKey(vip: Buffer): Buffer {
  return Buffer.from(vip.subarray(0, 4));
}

export function encodeLbVip(mac: Buffer): Buffer {
  const out = Buffer.alloc(lbVipLayout.size);
  mac.copy(out, 0, 0, 6);
  return out;
}
