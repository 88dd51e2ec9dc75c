import { z } from "zod";
import { DataplaneError } from "../errors.ts";
import { run } from "./run.ts";

function parse<T>(schema: z.ZodType<T>, text: string, what: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new DataplaneError("UNEXPECTED_OUTPUT", `${what} printed something that is not JSON`, { cause });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new DataplaneError(
      "UNEXPECTED_OUTPUT",
      `${what} printed JSON of an unexpected shape: ${parsed.error.message}`,
    );
  }
  return parsed.data;
}

const ZHexBytes = z.array(z.string().regex(/^0x[0-9a-f]{2}$/));

function bytes(hex: readonly string[]): Buffer {
  return Buffer.from(hex.map((byte) => Number.parseInt(byte, 16)));
}

const ZPerCpuEntry = z.object({
  key: ZHexBytes,
  values: z.array(z.object({ cpu: z.number(), value: ZHexBytes })),
});

/** Per-CPU maps through bpftool: the `bpf` package sizes values for one CPU only. */
export async function dumpPerCpuMap(pin: string): Promise<{ key: Buffer; perCpu: Buffer[] }[]> {
  const out = await run("bpftool", ["-j", "map", "dump", "pinned", pin]);
  return parse(z.array(ZPerCpuEntry), out.stdout, "bpftool map dump").map((entry) => ({
    key: bytes(entry.key),
    perCpu: entry.values.map((value) => bytes(value.value)),
  }));
}

const ZProgShow = z.object({
  id: z.number(),
  type: z.string(),
  name: z.string().optional(),
  tag: z.string(),
  loaded_at: z.number().optional(),
  map_ids: z.array(z.number()).optional(),
  run_cnt: z.number().optional(),
  run_time_ns: z.number().optional(),
});
export type TProgShow = z.infer<typeof ZProgShow>;

export async function showPinnedProgram(pin: string): Promise<TProgShow> {
  const out = await run("bpftool", ["-j", "prog", "show", "pinned", pin]);
  return parse(ZProgShow, out.stdout, "bpftool prog show");
}

export async function pinProgram(id: number, pin: string): Promise<void> {
  await run("bpftool", ["prog", "pin", "id", String(id), pin]);
}

export async function createPinnedMap(
  pin: string,
  spec: { name: string; type: string; keySize: number; valueSize: number; maxEntries: number; flags: number },
): Promise<void> {
  await run("bpftool", [
    "map",
    "create",
    pin,
    "type",
    spec.type,
    "key",
    String(spec.keySize),
    "value",
    String(spec.valueSize),
    "entries",
    String(spec.maxEntries),
    "name",
    spec.name,
    "flags",
    String(spec.flags),
  ]);
}

const ZProgRun = z.object({ retval: z.number(), duration: z.number() });

/** BPF_PROG_TEST_RUN on a pinned program: verdict, output packet and mean ns per run. */
export async function runPinnedProgram(
  pin: string,
  dataIn: string,
  dataOut: string,
  repeat: number,
): Promise<{ retval: number; durationNs: number }> {
  const out = await run("bpftool", [
    "-j",
    "prog",
    "run",
    "pinned",
    pin,
    "data_in",
    dataIn,
    "data_out",
    dataOut,
    "repeat",
    String(repeat),
  ]);
  const result = parse(ZProgRun, out.stdout, "bpftool prog run");
  return { retval: result.retval, durationNs: result.duration };
}

const ZBtfMember = z.object({ name: z.string(), type_id: z.number(), bits_offset: z.number() });
const ZBtfType = z.looseObject({
  id: z.number(),
  kind: z.string(),
  name: z.string(),
  size: z.number().optional(),
  type_id: z.number().optional(),
  nr_elems: z.number().optional(),
  members: z.array(ZBtfMember).optional(),
  values: z.array(z.object({ name: z.string(), val: z.number() })).optional(),
  vars: z.array(z.object({ type_id: z.number() })).optional(),
});
export type TBtfType = z.infer<typeof ZBtfType>;

export async function dumpBtf(object: string): Promise<TBtfType[]> {
  const out = await run("bpftool", ["-j", "btf", "dump", "file", object]);
  return parse(z.object({ types: z.array(ZBtfType) }), out.stdout, "bpftool btf dump").types;
}
