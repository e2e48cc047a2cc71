// PLACEHOLDER: being written (Parquet row streaming)
export async function* parquetRows(file: string): AsyncGenerator<{ row: unknown; index: number }> {
  throw new Error(`parquet not yet supported: ${file}`);
}
