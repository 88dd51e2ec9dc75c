import { createHash } from "node:crypto";

function hash32(text: string): number {
  return createHash("sha256").update(text).digest().readUInt32LE(0);
}

/**
 * Maglev lookup table (Eisenbud et al., NSDI 2016): every backend fills
 * slots along its own permutation of the table, so removing a backend
 * frees only (about) its own slots and every other slot keeps its backend.
 * `backends` are stable names; the result holds indexes into that array.
 */
export function buildMaglevTable(backends: readonly string[], size: number): number[] {
  const table = new Array<number>(size).fill(-1);
  if (backends.length === 0) return table;
  const order = backends.map((name, index) => ({ name, index })).sort((a, b) => (a.name < b.name ? -1 : 1));
  const offsets = order.map(({ name }) => hash32(`${name}#offset`) % size);
  const skips = order.map(({ name }) => (hash32(`${name}#skip`) % (size - 1)) + 1);
  const next = new Array<number>(order.length).fill(0);
  let filled = 0;
  while (true) {
    for (let i = 0; i < order.length; i++) {
      let slot = (offsets[i]! + next[i]! * skips[i]!) % size;
      while (table[slot] !== -1) {
        next[i]! += 1;
        slot = (offsets[i]! + next[i]! * skips[i]!) % size;
      }
      table[slot] = order[i]!.index;
      next[i]! += 1;
      filled += 1;
      if (filled === size) return table;
    }
  }
}
