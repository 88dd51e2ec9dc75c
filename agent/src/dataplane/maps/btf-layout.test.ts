import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { dumpBtf, type TBtfType } from "../linux/bpftool.ts";
import { BPF_BUILD_DIR } from "../testing/bpf-harness.ts";
import { buildBpfObjects } from "../testing/build.ts";
import { MAP_CATALOGUE, MAP_TYPES } from "./catalogue.ts";
import { DROP_REASONS } from "./drop-counters.ts";
import type { StructLayout } from "./layout.ts";
import { policyRuleLayout } from "./policy-rules.ts";

class Btf {
  private readonly byId: Map<number, TBtfType>;

  constructor(readonly types: TBtfType[]) {
    this.byId = new Map(types.map((type) => [type.id, type]));
  }

  type(id: number): TBtfType {
    const type = this.byId.get(id);
    if (!type) throw new Error(`BTF type ${id} is missing`);
    return type;
  }

  named(kind: string, name: string): TBtfType {
    const type = this.types.find((candidate) => candidate.kind === kind && candidate.name === name);
    if (!type) throw new Error(`BTF has no ${kind} ${name}`);
    return type;
  }

  /** Follows typedefs and qualifiers to the type that has a size. */
  resolve(id: number): TBtfType {
    let type = this.type(id);
    while (["TYPEDEF", "VOLATILE", "CONST", "RESTRICT"].includes(type.kind)) type = this.type(type.type_id!);
    return type;
  }

  sizeOf(id: number): number {
    const type = this.resolve(id);
    if (type.kind === "ARRAY") return type.nr_elems! * this.sizeOf(type.type_id!);
    return type.size!;
  }

  /** `__uint(name, N)` is encoded as a pointer to an array of N elements. */
  mapAttr(def: TBtfType, attr: string): number | undefined {
    const member = def.members?.find((candidate) => candidate.name === attr);
    if (!member) return undefined;
    return this.type(this.type(member.type_id).type_id!).nr_elems;
  }

  /** `__type(key, T)` is encoded as a pointer to T. */
  mapType(def: TBtfType, attr: "key" | "value"): TBtfType {
    const member = def.members?.find((candidate) => candidate.name === attr);
    if (!member) throw new Error(`map definition has no ${attr}`);
    return this.type(this.type(member.type_id).type_id!);
  }
}

function expectLayout(btf: Btf, type: TBtfType, layout: StructLayout): void {
  expect(type.name).toBe(layout.cName);
  expect(btf.sizeOf(type.id)).toBe(layout.size);
  const struct = btf.resolve(type.id);
  if (struct.kind !== "STRUCT") {
    expect(layout.fields).toEqual({});
    return;
  }
  const members = (struct.members ?? []).filter((member) => !member.name.startsWith("pad"));
  expect(Object.keys(layout.fields).sort()).toEqual(members.map((member) => member.name).sort());
  for (const member of members) {
    expect({ field: member.name, offset: member.bits_offset / 8, size: btf.sizeOf(member.type_id) }).toEqual({
      field: member.name,
      ...layout.fields[member.name],
    });
  }
}

describe.each(["tc_endpoint.o", "xdp_endpoint.o"])("encoders match the BTF of %s", (object) => {
  let btf: Btf;

  beforeAll(async () => {
    buildBpfObjects();
    btf = new Btf(await dumpBtf(join(BPF_BUILD_DIR, object)));
  });

  it("declares exactly the maps of the catalogue", () => {
    const section = btf.named("DATASEC", ".maps");
    const names = (section.vars ?? []).map((entry) => btf.type(entry.type_id).name);
    expect(names.sort()).toEqual(MAP_CATALOGUE.map((spec) => spec.name).sort());
  });

  it.each(MAP_CATALOGUE.map((spec) => [spec.name, spec] as const))("map %s", (_name, spec) => {
    const def = btf.resolve(btf.named("VAR", spec.name).type_id!);
    expect(btf.mapAttr(def, "type")).toBe(MAP_TYPES[spec.type]);
    expect(btf.mapAttr(def, "max_entries")).toBe(spec.maxEntries);
    expect(btf.mapAttr(def, "map_flags") ?? 0).toBe(spec.flags);
    expectLayout(btf, btf.mapType(def, "key"), spec.key);
    expectLayout(btf, btf.mapType(def, "value"), spec.value);
  });

  it("policy rules inside an entry", () => {
    expectLayout(btf, btf.named("STRUCT", "policy_rule"), policyRuleLayout);
  });

  it("drop reasons", () => {
    const reasons = btf.named("ENUM", "drop_reason").values ?? [];
    expect(Object.fromEntries(reasons.map((reason) => [reason.name, reason.val]))).toEqual(DROP_REASONS);
  });
});
