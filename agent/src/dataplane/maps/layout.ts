/**
 * Byte layout of a C struct shared with the BPF programs. Each map module
 * declares its key and value layouts with these, and maps/btf-layout.test.ts
 * checks them against the BTF of the compiled objects.
 */
export interface FieldLayout {
  offset: number;
  size: number;
}

export interface StructLayout {
  /** The C struct name in bpf/lib/*_types.h, or a scalar C type for scalar keys and values. */
  cName: string;
  size: number;
  fields: Record<string, FieldLayout>;
}

export function scalarLayout(cName: string, size: number): StructLayout {
  return { cName, size, fields: {} };
}
