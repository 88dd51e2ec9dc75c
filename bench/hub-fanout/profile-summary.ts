// Summarises a .cpuprofile written by `--profile DIR`: self time by function, by source file/package,
// and inclusive time of the functions whose name matches --focus.
//   node --import tsx bench/hub-fanout/profile-summary.ts FILE [--top N] [--focus REGEX]
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: "string", default: "25" }, focus: { type: "string" } },
});
const profile = JSON.parse(readFileSync(positionals[0]!, "utf8")) as Profile;
const top = Number(values.top);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const selfUs = new Map<number, number>();
for (const [i, id] of profile.samples.entries())
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
const totalUs = profile.endTime - profile.startTime;

function where(url: string): string {
  if (!url) return "(native/vm)";
  const m = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (m) return m[1]!;
  const w = url.match(/\/work\/main\/(.+)$/);
  if (w) return w[1]!;
  return url.replace(/^node:/, "node:");
}
const label = (n: ProfileNode) =>
  `${n.callFrame.functionName || "(anonymous)"} ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

const fn = new Map<string, number>();
const pkg = new Map<string, number>();
for (const [id, us] of selfUs) {
  const n = byId.get(id)!;
  fn.set(label(n), (fn.get(label(n)) ?? 0) + us);
  const p = where(n.callFrame.url).replace(/\/[^/]*$/, "");
  pkg.set(p, (pkg.get(p) ?? 0) + us);
}
const pct = (us: number) =>
  `${((us / totalUs) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms`;
const print = (title: string, m: Map<string, number>) => {
  process.stdout.write(`\n${title}\n`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top))
    process.stdout.write(`${pct(us)}  ${k}\n`);
};
process.stdout.write(`profile ${positionals[0]}: ${(totalUs / 1e6).toFixed(1)} s wall\n`);
const idle = [...selfUs]
  .filter(([id]) => byId.get(id)!.callFrame.functionName === "(idle)")
  .reduce((a, [, us]) => a + us, 0);
process.stdout.write(`busy ${pct(totalUs - idle)}\n`);
print("self time by function", fn);
print("self time by package / directory", pkg);

if (values.focus) {
  // Inclusive time: a sample counts once for every distinct matching frame on its stack.
  const re = new RegExp(values.focus);
  const incl = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur)!;
      const l = label(n);
      if (re.test(l) && !seen.has(l)) {
        seen.add(l);
        incl.set(l, (incl.get(l) ?? 0) + us);
      }
    }
  }
  print(`inclusive time of frames matching /${values.focus}/`, incl);
}
