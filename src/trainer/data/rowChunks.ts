// A streamed split's rows regrouped into chunks of fresh arrays, for work that
// wants more rows at once than a file chunk holds (evaluation).
import type { RowBlock, StreamedSplit } from './types';

/** Rows a chunk holds at most. */
const CHUNK_ROWS = 4096;

/** Rows [from, to) of a streamed split in file order, gathered into fresh arrays of up to CHUNK_ROWS rows. */
export async function* rowChunks(split: StreamedSplit, xSize: number, from: number, to: number, signal?: AbortSignal): AsyncGenerator<RowBlock> {
  let chunk: RowBlock | undefined;
  for await (const block of split.blocks(from, to, signal)) {
    for (let r = 0; r < block.count; r++) {
      chunk ??= { x: new Float32Array(CHUNK_ROWS * xSize), y: new Float32Array(CHUNK_ROWS), count: 0 };
      chunk.x.set(block.x.subarray(r * xSize, (r + 1) * xSize), chunk.count * xSize);
      chunk.y[chunk.count] = block.y[r];
      if (++chunk.count === CHUNK_ROWS) {
        yield chunk;
        chunk = undefined;
      }
    }
  }
  if (chunk && !signal?.aborted) yield { x: chunk.x.subarray(0, chunk.count * xSize), y: chunk.y.subarray(0, chunk.count), count: chunk.count };
}
