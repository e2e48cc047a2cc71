/** The two Parquet readers of the tests: hyparquet (JavaScript) and DuckDB (its own C++ implementation). */
import { readFileSync } from "node:fs";
import { DuckDBInstance } from "@duckdb/node-api";
import { parquetReadObjects } from "hyparquet";

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  try {
    const r = await c.runAndReadAll(sql);
    return r.getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    c.closeSync();
  }
}

const quoted = (path: string) => `'${path.replace(/'/g, "''")}'`;

/** Each column's type as DuckDB reads it from the file. */
export async function duckTypes(path: string): Promise<Record<string, string>> {
  const rows = await query(`DESCRIBE SELECT * FROM read_parquet(${quoted(path)})`);
  return Object.fromEntries(rows.map((r) => [String(r.column_name), String(r.column_type)]));
}

/** Every row, nested values as plain JSON. */
export async function duckRows(path: string): Promise<Record<string, unknown>[]> {
  return query(`SELECT * FROM read_parquet(${quoted(path)})`);
}

/** Every row as hyparquet reads it. */
export async function hyparquetRows(file: string): Promise<Record<string, unknown>[]> {
  const buf = readFileSync(file);
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  return (await parquetReadObjects({ file: ab })) as Record<string, unknown>[];
}
