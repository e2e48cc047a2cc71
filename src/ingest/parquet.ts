/**
 * Streams the rows of a Parquet file one row group at a time (never the whole
 * file), with every compression codec hyparquet-compressors knows (ZSTD,
 * Snappy, Gzip, Brotli, LZ4). INT64 values arrive as BigInt; they become plain
 * numbers where that is exact and stay BigInt otherwise.
 */
import { open, type FileHandle } from "node:fs/promises";
import { parquetMetadataAsync, parquetReadObjects, type AsyncBuffer, type FileMetaData } from "hyparquet";
import { compressors as defaultCompressors, decompressZstd } from "hyparquet-compressors";
import { IngestError } from "../io/error.js";

const MAGIC = "PAR1";

/** ZSTD into a buffer of the page's known size: without one, fzstd allocates a whole window (up to 8 MB) per page. */
const compressors = {
  ...defaultCompressors,
  ZSTD: (input: Uint8Array, size: number) => decompressZstd(input, new Uint8Array(size)),
};

export async function* parquetRows(file: string): AsyncGenerator<{ row: unknown; index: number }> {
  const fh = await open(file, "r");
  try {
    const size = (await fh.stat()).size;
    const buffer = fileBuffer(fh, size);
    const metadata = await readMetadata(file, fh, size, buffer);
    let start = 0;
    for (let g = 0; g < metadata.row_groups.length; g++) {
      const end = start + Number(metadata.row_groups[g].num_rows);
      if (end === start) continue;
      let rows: unknown[];
      try {
        rows = await parquetReadObjects({
          file: buffer,
          metadata,
          rowStart: start,
          rowEnd: end,
          compressors,
          rowFormat: "object",
        });
      } catch (e) {
        throw new IngestError(
          file,
          `cannot read Parquet row group ${g} (rows ${start + 1}-${end}): ${(e as Error).message}`,
        );
      }
      for (let i = 0; i < rows.length; i++) yield { row: fixBigInts(rows[i]), index: start + i };
      start = end;
    }
  } finally {
    await fh.close();
  }
}

/** An AsyncBuffer over an open file: each slice is one positioned read. */
function fileBuffer(fh: FileHandle, size: number): AsyncBuffer {
  return {
    byteLength: size,
    async slice(start: number, end = size) {
      const len = Math.max(0, Math.min(end, size) - start);
      const out = new ArrayBuffer(len);
      const buf = new Uint8Array(out);
      let done = 0;
      while (done < len) {
        const { bytesRead } = await fh.read(buf, done, len - done, start + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return out;
    },
  };
}

/** The footer metadata, with clear errors for files that are not Parquet or are cut short. */
async function readMetadata(file: string, fh: FileHandle, size: number, buffer: AsyncBuffer): Promise<FileMetaData> {
  if (size < 12) throw new IngestError(file, `not a Parquet file: only ${size} bytes`);
  const head = Buffer.alloc(4);
  const tail = Buffer.alloc(8);
  await fh.read(head, 0, 4, 0);
  await fh.read(tail, 0, 8, size - 8);
  if (head.toString("latin1") !== MAGIC) throw new IngestError(file, "not a Parquet file: no PAR1 magic at the start");
  if (tail.subarray(4).toString("latin1") !== MAGIC) {
    throw new IngestError(
      file,
      "truncated or corrupt Parquet file: no PAR1 footer at the end (was the download cut short?)",
    );
  }
  const metaLength = tail.readUInt32LE(0);
  if (metaLength > size - 12)
    throw new IngestError(
      file,
      `truncated or corrupt Parquet file: footer claims ${metaLength} bytes of metadata, file has ${size}`,
    );
  try {
    return await parquetMetadataAsync(buffer);
  } catch (e) {
    throw new IngestError(file, `corrupt Parquet metadata: ${(e as Error).message}`);
  }
}

/** Replace BigInt values by numbers where exact, in place, through arrays and plain objects. */
export function fixBigInts(v: unknown): unknown {
  if (typeof v === "bigint") return v >= Number.MIN_SAFE_INTEGER && v <= Number.MAX_SAFE_INTEGER ? Number(v) : v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (x !== null && (typeof x === "object" || typeof x === "bigint")) v[i] = fixBigInts(x);
    }
  } else if (v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    const o = v as Record<string, unknown>;
    for (const k in o) {
      const x = o[k];
      if (x !== null && (typeof x === "object" || typeof x === "bigint")) o[k] = fixBigInts(x);
    }
  }
  return v;
}
