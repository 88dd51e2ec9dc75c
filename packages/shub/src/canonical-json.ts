/**
 * JSON Canonicalization Scheme (RFC 8785). Signatures cover this form of the payload, so a file can be
 * re-indented or have its keys reordered by an operator's editor without breaking its signature.
 *
 * ECMAScript's JSON.stringify already serialises strings (§3.2.2.2: minimal escapes, lowercase hex) and
 * numbers (§3.2.2.3: Number.prototype.toString, -0 as 0) exactly as RFC 8785 requires, so the work here
 * is to check the value and rebuild objects with their members in RFC 8785 order. JSON.stringify then
 * runs once, natively, which matters because every verification canonicalises the whole payload.
 */

declare global {
  interface String {
    /** ES2024; present in Node 20, missing from the ES2023 lib this workspace compiles against. */
    isWellFormed(): boolean;
  }
}

// Keys that are array indices are enumerated first by JavaScript whatever the insertion order, so a
// value holding one cannot be rebuilt in sorted order and is serialised member by member instead.
const ARRAY_INDEX = /^(0|[1-9]\d{0,9})$/;

type TContext = { stack: (string | number)[]; hasIndexKeys: boolean };

function pathOf(stack: readonly (string | number)[]): string {
  return stack.reduce<string>(
    (text, key) => (typeof key === "number" ? `${text}[${key}]` : `${text}.${key}`),
    "$",
  );
}

function checkString(value: string, context: TContext): string {
  // I-JSON, which RFC 8785 builds on, forbids unpaired surrogates; JSON.stringify would escape them
  // instead, and two different texts could then canonicalise alike.
  if (!value.isWellFormed()) {
    throw new TypeError(`canonical JSON: ${pathOf(context.stack)} contains a lone surrogate`);
  }
  return value;
}

/** Checks that `value` is JSON and returns a copy whose objects list their members in RFC 8785 order. */
function order(value: unknown, context: TContext): unknown {
  if (value === null || typeof value === "boolean") return value;
  if (typeof value === "string") return checkString(value, context);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new TypeError(`canonical JSON: ${value} at ${pathOf(context.stack)} is not a JSON number`);
    }
    return value;
  }
  if (typeof value !== "object") {
    throw new TypeError(
      `canonical JSON: ${pathOf(context.stack)} is a ${typeof value}, which JSON cannot represent`,
    );
  }
  const { stack } = context;
  if (Array.isArray(value)) {
    const items = new Array<unknown>(value.length);
    for (let index = 0; index < value.length; index++) {
      stack.push(index);
      items[index] = order(value[index], context);
      stack.pop();
    }
    return items;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    throw new TypeError(`canonical JSON: ${pathOf(stack)} is not a plain object`);
  }
  const record = value as Record<string, unknown>;
  // Null prototype: a "__proto__" member must stay an ordinary member.
  const ordered: Record<string, unknown> = Object.create(null);
  // RFC 8785 §3.2.3 sorts by UTF-16 code units, which is what the default sort compares.
  for (const key of Object.keys(record).sort()) {
    const member = record[key];
    // Mirrors JSON.stringify, so an optional field left undefined signs as if absent.
    if (member === undefined) continue;
    stack.push(key);
    ordered[checkString(key, context)] = order(member, context);
    stack.pop();
    if (ARRAY_INDEX.test(key)) context.hasIndexKeys = true;
  }
  return ordered;
}

function serializeOrdered(value: unknown): string {
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(serializeOrdered).join(",")}]`;
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${serializeOrdered(record[key])}`);
  return `{${members.join(",")}}`;
}

/** The RFC 8785 canonical text of a JSON value. Throws TypeError for values JSON cannot carry. */
export function canonicalJson(value: unknown): string {
  const context: TContext = { stack: [], hasIndexKeys: false };
  const ordered = order(value, context);
  return context.hasIndexKeys ? serializeOrdered(ordered) : JSON.stringify(ordered);
}

/** The canonical form as UTF-8 bytes, which is what gets signed. */
export function canonicalJsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value));
}
