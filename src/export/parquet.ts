/**
 * Parquet with nested columns: a column is described by a small type tree (strings, numbers,
 * booleans, lists, structs), turned into a Parquet schema with the standard three-level LIST
 * layout, and written a row group at a time so a dataset is never held whole in memory.
 * Readers (🤗 datasets / Arrow, DuckDB, hyparquet) see list<struct<...>> columns, not JSON text.
 */
import type { SchemaElement } from "hyparquet";
import { fileWriter, ParquetWriter } from "hyparquet-writer";

export type ColumnType =
  | "string"
  | "bool"
  | "double"
  | "int32"
  | { list: ColumnType }
  | { struct: Record<string, ColumnType> };

export type ParquetSchema = Record<string, ColumnType>;

function elements(name: string, type: ColumnType): SchemaElement[] {
  if (type === "string") return [{ name, type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" }];
  if (type === "bool") return [{ name, type: "BOOLEAN", repetition_type: "OPTIONAL" }];
  if (type === "double") return [{ name, type: "DOUBLE", repetition_type: "OPTIONAL" }];
  if (type === "int32") return [{ name, type: "INT32", repetition_type: "OPTIONAL" }];
  if ("list" in type) {
    return [
      { name, repetition_type: "OPTIONAL", converted_type: "LIST", num_children: 1 },
      { name: "list", repetition_type: "REPEATED", num_children: 1 },
      ...elements("element", type.list),
    ];
  }
  const fields = Object.entries(type.struct);
  return [
    { name, repetition_type: "OPTIONAL", num_children: fields.length },
    ...fields.flatMap(([k, t]) => elements(k, t)),
  ];
}

/** The flat Parquet schema (depth first, with child counts) of named columns. */
export function parquetSchema(columns: ParquetSchema): SchemaElement[] {
  const names = Object.keys(columns);
  return [{ name: "root", num_children: names.length }, ...names.flatMap((n) => elements(n, columns[n]))];
}

/** Put a value into the shape its column type expects: missing fields null, numbers for numbers. */
function shape(value: unknown, type: ColumnType): unknown {
  if (value === undefined || value === null) return null;
  if (type === "string") return typeof value === "string" ? value : JSON.stringify(value);
  if (type === "bool") return Boolean(value);
  if (type === "double") return typeof value === "number" && Number.isFinite(value) ? value : null;
  if (type === "int32") return typeof value === "number" && Number.isInteger(value) ? value : null;
  if ("list" in type) return Array.isArray(value) ? value.map((v) => shape(v, type.list)) : null;
  const o = value as Record<string, unknown>;
  return Object.fromEntries(Object.entries(type.struct).map(([k, t]) => [k, shape(o[k], t)]));
}

/** Writes rows (plain objects) to a Parquet file in row groups of `groupRows`. */
export class ParquetRows {
  private writer: ParquetWriter;
  private pending: Record<string, unknown>[] = [];
  rows = 0;

  constructor(
    path: string,
    private columns: ParquetSchema,
    private groupRows = 256,
  ) {
    this.writer = new ParquetWriter({ writer: fileWriter(path), schema: parquetSchema(columns) });
  }

  async add(row: Record<string, unknown>): Promise<void> {
    this.pending.push(row);
    this.rows++;
    if (this.pending.length >= this.groupRows) await this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.pending.length) return;
    const rows = this.pending;
    this.pending = [];
    const columnData = Object.entries(this.columns).map(([name, type]) => ({
      name,
      data: rows.map((r) => shape(r[name], type)),
    }));
    await this.writer.write({ columnData, rowGroupSize: rows.length });
  }

  async close(): Promise<void> {
    await this.flush();
    await this.writer.finish();
  }
}
