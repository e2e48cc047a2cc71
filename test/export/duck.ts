/** DuckDB as a second Parquet reader, independent of hyparquet (its own C++ implementation). */
import { DuckDBInstance } from "@duckdb/node-api";

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
