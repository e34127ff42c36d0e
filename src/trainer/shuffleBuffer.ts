// A seeded shuffle buffer, as tf.data's Dataset.shuffle: it fills with the
// first `capacity` rows of a stream; then each new row takes the place of a
// row drawn at random, which goes out. At the end of the stream the rows left
// go out in random order. The same stream and the same random sequence give
// the same order, so an epoch can be replayed to any batch.

/** Takes a row; it must copy what it keeps before returning (the slot is reused). */
export type RowSink = (x: Float32Array, xAt: number, y: Float32Array, yAt: number) => void;

export class ShuffleBuffer {
  private readonly x: Float32Array;
  private readonly y: Float32Array;
  private size = 0;

  constructor(
    private readonly capacity: number,
    private readonly xSize: number,
    private readonly ySize: number,
    private readonly random: () => number,
  ) {
    this.x = new Float32Array(capacity * xSize);
    this.y = new Float32Array(capacity * ySize);
  }

  /** Adds a row; once the buffer is full, first hands a random row it holds to `out`. With no capacity, rows pass straight through. */
  push(x: Float32Array, xAt: number, y: Float32Array, yAt: number, out: RowSink): void {
    const { xSize, ySize } = this;
    if (this.capacity === 0) {
      out(x, xAt, y, yAt);
      return;
    }
    let slot = this.size;
    if (slot < this.capacity) this.size++;
    else {
      slot = Math.floor(this.random() * this.capacity);
      out(this.x, slot * xSize, this.y, slot * ySize);
    }
    this.x.set(x.subarray(xAt, xAt + xSize), slot * xSize);
    this.y.set(y.subarray(yAt, yAt + ySize), slot * ySize);
  }

  /** Hands out every row still held, in random order. */
  drain(out: RowSink): void {
    const { xSize, ySize } = this;
    while (this.size > 0) {
      const slot = Math.floor(this.random() * this.size);
      out(this.x, slot * xSize, this.y, slot * ySize);
      const last = --this.size;
      if (slot !== last) {
        this.x.copyWithin(slot * xSize, last * xSize, (last + 1) * xSize);
        this.y.copyWithin(slot * ySize, last * ySize, (last + 1) * ySize);
      }
    }
  }
}
