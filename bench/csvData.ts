// MNIST-like CSV rows for the CSV benchmarks: a label 0-9, then 784 pixel
// ints, 80% of them 0 and the rest 0-255 (about 1.8 KB a row), from a fixed
// seed. The label is the row's index mod 10, so the data has no signal: the
// benchmarks measure reading and memory, not accuracy.
import { createWriteStream } from 'node:fs';

export const PIXELS = 784;

/** Writes `rows` rows (and a header) to `file`, or fewer once `maxBytes` are written; resolves to the rows and bytes written. */
export async function writeMnistLikeCsv(file: string, rows: number, maxBytes = Infinity): Promise<{ rows: number; bytes: number }> {
  const out = createWriteStream(file);
  let state = 7;
  const random = (): number => (state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const write = async (text: string): Promise<void> => {
    if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', resolve));
  };
  await write(`label,${Array.from({ length: PIXELS }, (_, i) => `p${i}`).join(',')}\n`);
  const pixels = new Array<number>(PIXELS);
  let lines: string[] = [];
  let i = 0;
  for (; i < rows && out.bytesWritten + out.writableLength < maxBytes; i++) {
    for (let p = 0; p < PIXELS; p++) pixels[p] = random() < 0.8 ? 0 : Math.floor(random() * 256);
    lines.push(`${i % 10},${pixels.join(',')}\n`);
    if (lines.length === 512) {
      await write(lines.join(''));
      lines = [];
    }
  }
  await write(lines.join(''));
  await new Promise<void>((resolve) => out.end(resolve));
  return { rows: i, bytes: out.bytesWritten };
}
