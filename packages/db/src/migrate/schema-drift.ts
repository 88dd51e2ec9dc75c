import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { SqlSession } from "../sql.ts";

/**
 * Compares the Prisma schema (its DMMF, from Prisma's own schema engine compiled to wasm) with the
 * catalog of a migrated database. Returns one line per difference; empty means no drift.
 */

export const defaultSchemaDir = resolve(dirname(fileURLToPath(import.meta.url)), "../../../../prisma/schema");

interface DmmfField {
  name: string;
  dbName?: string;
  kind: "scalar" | "object" | "enum" | "unsupported";
  isList: boolean;
  isRequired: boolean;
  type: string;
  nativeType: [string, string[]] | null;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
interface DmmfIndex {
  model: string;
  type: "id" | "unique" | "normal" | "fulltext";
  dbName?: string | null;
  fields: { name: string }[];
}
interface Dmmf {
  datamodel: {
    models: DmmfModel[];
    enums: { name: string; dbName?: string | null; values: { name: string; dbName?: string | null }[] }[];
    indexes: DmmfIndex[];
  };
}

export function loadDmmf(schemaDir: string = defaultSchemaDir): Dmmf {
  const require = createRequire(import.meta.url);
  const wasm = require("@prisma/prisma-schema-wasm") as { get_dmmf(params: string): string };
  const files = readdirSync(schemaDir)
    .filter((f) => f.endsWith(".prisma"))
    .map((f) => [join(schemaDir, f), readFileSync(join(schemaDir, f), "utf8")]);
  return JSON.parse(wasm.get_dmmf(JSON.stringify({ prismaSchema: files }))) as Dmmf;
}

/** The PostgreSQL type (udt name plus modifier) that Prisma's migrations create for a field. */
function expectedColumnType(field: DmmfField): string {
  if (field.kind === "enum") return field.type;
  const [native, args] = field.nativeType ?? [undefined, []];
  const arg = args[0];
  switch (native) {
    case "Uuid":
      return "uuid";
    case "VarChar":
      return arg ? `varchar(${arg})` : "varchar";
    case "Char":
      return `bpchar(${arg ?? 1})`;
    case "Text":
      return "text";
    case "Timestamptz":
      return `timestamptz(${arg ?? 3})`;
    case "Timestamp":
      return `timestamp(${arg ?? 3})`;
    case "Inet":
      return "inet";
    case "SmallInt":
      return "int2";
    case "Integer":
      return "int4";
    case "BigInt":
      return "int8";
    case "JsonB":
      return "jsonb";
    case "Json":
      return "json";
    case undefined:
      break;
    default:
      return native.toLowerCase();
  }
  const defaults: Record<string, string> = {
    String: "text",
    Int: "int4",
    BigInt: "int8",
    Float: "float8",
    Decimal: "numeric(65,30)",
    Boolean: "bool",
    DateTime: "timestamp(3)",
    Json: "jsonb",
    Bytes: "bytea",
  };
  const type = defaults[field.type];
  if (!type) throw new Error(`No column type mapping for ${field.type}`);
  return type;
}

const snake = (fields: string[]) => fields.join("_");

function expectedIndexName(table: string, index: DmmfIndex, columns: string[]): string {
  if (index.dbName) return index.dbName;
  if (index.type === "id") return `${table}_pkey`;
  return `${table}_${snake(columns)}_${index.type === "unique" ? "key" : "idx"}`;
}

interface CatalogColumn {
  table_name: string;
  column_name: string;
  type: string;
  not_null: boolean;
}
interface CatalogIndex {
  table_name: string;
  index_name: string;
  is_unique: boolean;
  is_primary: boolean;
  columns: string[];
}

export async function findSchemaDrift(session: SqlSession, dmmf: Dmmf = loadDmmf()): Promise<string[]> {
  const problems: string[] = [];
  const columns = await session.query<CatalogColumn>(`
    SELECT c.relname AS table_name, a.attname AS column_name, a.attnotnull AS not_null,
           CASE WHEN t.typname IN ('varchar', 'bpchar') AND a.atttypmod > 0 THEN t.typname || '(' || (a.atttypmod - 4) || ')'
                WHEN t.typname IN ('timestamptz', 'timestamp') AND a.atttypmod >= 0 THEN t.typname || '(' || a.atttypmod || ')'
                WHEN t.typname = 'numeric' AND a.atttypmod > 0 THEN 'numeric(' || ((a.atttypmod - 4) >> 16) || ',' || ((a.atttypmod - 4) & 65535) || ')'
                ELSE t.typname END AS type
      FROM pg_attribute a
      JOIN pg_class c ON c.oid = a.attrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_type t ON t.oid = a.atttypid
     WHERE n.nspname = current_schema() AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
       AND c.relname <> '_prisma_migrations'`);
  const indexes = await session.query<CatalogIndex>(`
    SELECT t.relname AS table_name, i.relname AS index_name, ix.indisunique AS is_unique, ix.indisprimary AS is_primary,
           array_agg(a.attname ORDER BY k.ord)::text[] AS columns
      FROM pg_index ix
      JOIN pg_class i ON i.oid = ix.indexrelid
      JOIN pg_class t ON t.oid = ix.indrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace
      JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
     WHERE n.nspname = current_schema() AND t.relname <> '_prisma_migrations'
     GROUP BY t.relname, i.relname, ix.indisunique, ix.indisprimary`);
  const enums = await session.query<{ name: string; values: string[] }>(`
    SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS values
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE n.nspname = current_schema() GROUP BY t.typname`);

  const { models, indexes: modelIndexes, enums: modelEnums } = dmmf.datamodel;
  const tableOf = new Map(models.map((m) => [m.name, m.dbName ?? m.name]));
  const expectedTables = new Set(tableOf.values());
  const actualTables = new Set(columns.map((c) => c.table_name));
  for (const t of actualTables)
    if (!expectedTables.has(t)) problems.push(`table ${t} exists in the database but not in the schema`);

  for (const model of models) {
    const table = tableOf.get(model.name)!;
    if (!actualTables.has(table)) {
      problems.push(`table ${table} (model ${model.name}) is missing from the database`);
      continue;
    }
    const scalarFields = model.fields.filter((f) => f.kind === "scalar" || f.kind === "enum");
    const expectedColumns = new Set(scalarFields.map((f) => f.dbName ?? f.name));
    for (const column of columns.filter((c) => c.table_name === table)) {
      if (!expectedColumns.has(column.column_name)) {
        problems.push(`${table}.${column.column_name} exists in the database but not in model ${model.name}`);
      }
    }
    for (const field of scalarFields) {
      const name = field.dbName ?? field.name;
      const column = columns.find((c) => c.table_name === table && c.column_name === name);
      if (!column) {
        problems.push(`${table}.${name} (${model.name}.${field.name}) is missing from the database`);
        continue;
      }
      const type = field.isList ? `_${expectedColumnType(field)}` : expectedColumnType(field);
      if (column.type !== type)
        problems.push(`${table}.${name} is ${column.type} in the database, ${type} in the schema`);
      if (column.not_null !== field.isRequired) {
        problems.push(
          `${table}.${name} is ${column.not_null ? "NOT NULL" : "nullable"} in the database, ${field.isRequired ? "required" : "optional"} in the schema`,
        );
      }
    }
  }

  const columnName = (model: string, field: string) => {
    const f = models.find((m) => m.name === model)?.fields.find((x) => x.name === field);
    return f?.dbName ?? field;
  };
  const expectedIndexNames = new Set<string>();
  for (const index of modelIndexes) {
    const table = tableOf.get(index.model)!;
    const cols = index.fields.map((f) => columnName(index.model, f.name));
    const name = expectedIndexName(table, index, cols);
    expectedIndexNames.add(name);
    const actual = indexes.find((i) => i.table_name === table && i.index_name === name);
    if (!actual) {
      problems.push(`index ${name} on ${table}(${cols.join(", ")}) is missing from the database`);
      continue;
    }
    if (actual.columns.join(",") !== cols.join(",")) {
      problems.push(
        `index ${name} covers (${actual.columns.join(", ")}) in the database, (${cols.join(", ")}) in the schema`,
      );
    }
    const unique = index.type === "id" || index.type === "unique";
    if (actual.is_unique !== unique)
      problems.push(`index ${name} uniqueness differs (database ${actual.is_unique}, schema ${unique})`);
    if (actual.is_primary !== (index.type === "id")) problems.push(`index ${name} primary-key flag differs`);
  }
  for (const index of indexes) {
    if (!expectedIndexNames.has(index.index_name))
      problems.push(
        `index ${index.index_name} on ${index.table_name} exists in the database but not in the schema`,
      );
  }

  for (const e of modelEnums) {
    const name = e.dbName ?? e.name;
    const actual = enums.find((x) => x.name === name);
    const values = e.values.map((v) => v.dbName ?? v.name);
    if (!actual) problems.push(`enum ${name} is missing from the database`);
    else if (actual.values.join(",") !== values.join(","))
      problems.push(
        `enum ${name} has (${actual.values.join(", ")}) in the database, (${values.join(", ")}) in the schema`,
      );
  }
  for (const e of enums)
    if (!modelEnums.some((m) => (m.dbName ?? m.name) === e.name))
      problems.push(`enum ${e.name} exists in the database but not in the schema`);
  return problems;
}
