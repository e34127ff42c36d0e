// Reads a CSV file chunk by chunk into one reused buffer and hands out its
// records; never more in memory than a chunk and one unfinished record. A
// read can start at any record's byte offset (a row index from the first
// pass points there), so a pass over part of a file reads only that part.
import { open, type FileHandle } from 'node:fs/promises';
import { fileError } from '../../core/dataFiles';
import { CsvTokenizer, type CsvRecord } from './csvRecords';

/** Bytes read at a time: small enough that a stop is seen within milliseconds. */
export const CHUNK_BYTES = 256 * 1024;

/** Where a read begins: a record's byte offset and line (the file's start by default). */
export interface CsvStart {
  offset: number;
  line: number;
}

export class CsvFile {
  private buffer: Buffer;
  /** buffer[consumed, filled) is a record not yet complete. */
  private filled = 0;
  private consumed = 0;
  /** File offset of buffer[0], and of the next byte to read. */
  private base: number;
  private position: number;
  private done = false;
  /** Whether a byte-order mark could still be ahead (only at the file's start). */
  private bomPending: boolean;
  private readonly tokenizer: CsvTokenizer;

  private constructor(
    private readonly handle: FileHandle,
    readonly size: number,
    readonly mtimeMs: number,
    delimiter: string,
    file: string,
    start: CsvStart,
    private readonly chunkBytes: number,
  ) {
    this.buffer = Buffer.allocUnsafe(2 * chunkBytes);
    this.base = start.offset;
    this.position = start.offset;
    this.bomPending = start.offset === 0;
    this.tokenizer = new CsvTokenizer(delimiter, file, start.line);
  }

  /** Opens `path` (named `file` in messages); a missing or unreadable file is a UserError. */
  static async open(path: string, file: string, delimiter: string, start: CsvStart = { offset: 0, line: 1 }, chunkBytes = CHUNK_BYTES): Promise<CsvFile> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      throw fileError(path, error);
    }
    const stats = await handle.stat();
    return new CsvFile(handle, stats.size, stats.mtimeMs, delimiter, file, start, chunkBytes);
  }

  /** Bytes of the file read so far. */
  get bytesRead(): number {
    return this.position;
  }

  /**
   * Reads the next chunk and hands its complete records to onRecord (false
   * stops the read); returns false once nothing more will come.
   */
  async read(onRecord: (record: CsvRecord) => boolean | void): Promise<boolean> {
    if (this.done) return false;
    if (this.consumed > 0) {
      this.buffer.copyWithin(0, this.consumed, this.filled);
      this.base += this.consumed;
      this.filled -= this.consumed;
      this.consumed = 0;
    }
    if (this.buffer.length - this.filled < this.chunkBytes) {
      const bigger = Buffer.allocUnsafe(Math.max(2 * this.buffer.length, this.filled + this.chunkBytes));
      this.buffer.copy(bigger, 0, 0, this.filled);
      this.buffer = bigger;
    }
    const { bytesRead } = await this.handle.read(this.buffer, this.filled, this.chunkBytes, this.position);
    this.position += bytesRead;
    this.filled += bytesRead;
    const final = bytesRead === 0 || this.position >= this.size;
    if (this.bomPending) {
      if (this.filled < 3 && !final) return true;
      this.bomPending = false;
      if (this.filled >= 3 && this.buffer[0] === 0xef && this.buffer[1] === 0xbb && this.buffer[2] === 0xbf) this.consumed = 3;
    }
    const result = this.tokenizer.split(this.buffer.subarray(0, this.filled), this.consumed, this.base, final, onRecord);
    this.consumed = result.next;
    if (final || result.stopped) this.done = true;
    return !this.done;
  }

  async close(): Promise<void> {
    this.done = true;
    await this.handle.close().catch(() => undefined);
  }
}
