// A drawing to an MNIST-like 28x28 image: the ink's bounding box scaled to
// fit 20x20 (keeping its aspect), placed so its centre of mass is at the
// centre, as the MNIST images were made.
export function toMnistPixels(rgba: Uint8ClampedArray, width: number, height: number): number[] {
  const grey = (x: number, y: number): number => rgba[(y * width + x) * 4] / 255;
  let minX = width;
  let minY = height;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (grey(x, y) > 0.1) {
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
        minY = Math.min(minY, y);
        maxY = Math.max(maxY, y);
      }
    }
  }
  const out = new Array<number>(28 * 28).fill(0);
  if (maxX < 0) return out;
  const boxW = maxX - minX + 1;
  const boxH = maxY - minY + 1;
  const scale = 20 / Math.max(boxW, boxH);
  const w = Math.max(1, Math.round(boxW * scale));
  const h = Math.max(1, Math.round(boxH * scale));
  // Area-average the box into w x h.
  const small = new Array<number>(w * h).fill(0);
  for (let j = 0; j < h; j++) {
    for (let i = 0; i < w; i++) {
      const x0 = minX + Math.floor(i / scale);
      const x1 = Math.min(maxX + 1, minX + Math.floor((i + 1) / scale));
      const y0 = minY + Math.floor(j / scale);
      const y1 = Math.min(maxY + 1, minY + Math.floor((j + 1) / scale));
      let sum = 0;
      let n = 0;
      for (let y = y0; y < Math.max(y1, y0 + 1); y++) {
        for (let x = x0; x < Math.max(x1, x0 + 1); x++) {
          sum += grey(x, y);
          n++;
        }
      }
      small[j * w + i] = n ? sum / n : 0;
    }
  }
  let mass = 0;
  let cx = 0;
  let cy = 0;
  small.forEach((v, k) => {
    mass += v;
    cx += v * (k % w);
    cy += v * Math.floor(k / w);
  });
  const offX = Math.round(14 - (mass ? cx / mass : w / 2) - 0.5);
  const offY = Math.round(14 - (mass ? cy / mass : h / 2) - 0.5);
  for (let j = 0; j < h; j++) {
    for (let i = 0; i < w; i++) {
      const x = i + offX;
      const y = j + offY;
      if (x >= 0 && x < 28 && y >= 0 && y < 28) out[y * 28 + x] = Math.round(Math.min(1, small[j * w + i]) * 1000) / 1000;
    }
  }
  return out;
}

/** Whether an MNIST image has any ink: an empty canvas would be "predicted" as some digit all the same. */
export function hasInk(pixels: readonly number[]): boolean {
  return pixels.some((v) => v > 0);
}
