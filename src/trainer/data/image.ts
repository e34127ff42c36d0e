// Decodes PNG and JPEG files to RGBA (pure JS, so the trainer bundle carries
// the decoders) and resizes them bilinearly into a float32 sample.
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { UserError } from '../../shared/errors';

export interface Rgba {
  width: number;
  height: number;
  /** width * height * 4 bytes. */
  data: Uint8Array;
}

export function decodeImage(bytes: Buffer, path: string): Rgba {
  const isPng = bytes.length > 8 && bytes.readUInt32BE(0) === 0x89504e47;
  const isJpeg = bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8;
  try {
    if (isPng) {
      const png = PNG.sync.read(bytes);
      return { width: png.width, height: png.height, data: png.data };
    }
    if (isJpeg) {
      // The limits keep a huge or hostile file from eating the trainer's memory.
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: 64, maxMemoryUsageInMB: 512 });
      return { width: img.width, height: img.height, data: img.data };
    }
  } catch (error) {
    throw new UserError(`${path} cannot be decoded (${(error as Error).message}); re-save it as PNG or JPEG or remove it`);
  }
  throw new UserError(`${path} is neither PNG nor JPEG; convert it or remove it from the folder`);
}

/**
 * Writes `image` resized to height x width with 1 (luma) or 3 (RGB) channels
 * into `out` at `offset`, values in [0, 1]. Alpha is ignored.
 */
export function resizeInto(image: Rgba, height: number, width: number, channels: 1 | 3, out: Float32Array, offset: number): void {
  const { width: sw, height: sh, data } = image;
  const sy = sh / height;
  const sx = sw / width;
  let o = offset;
  for (let y = 0; y < height; y++) {
    // Pixel centres line up (align_corners = false), as in tf.image.resizeBilinear.
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), sh - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, sh - 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), sw - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, sw - 1);
      const wx = fx - x0;
      const a = (y0 * sw + x0) * 4;
      const b = (y0 * sw + x1) * 4;
      const c = (y1 * sw + x0) * 4;
      const d = (y1 * sw + x1) * 4;
      const w00 = (1 - wy) * (1 - wx);
      const w01 = (1 - wy) * wx;
      const w10 = wy * (1 - wx);
      const w11 = wy * wx;
      const r = data[a] * w00 + data[b] * w01 + data[c] * w10 + data[d] * w11;
      const g = data[a + 1] * w00 + data[b + 1] * w01 + data[c + 1] * w10 + data[d + 1] * w11;
      const bl = data[a + 2] * w00 + data[b + 2] * w01 + data[c + 2] * w10 + data[d + 2] * w11;
      if (channels === 1) {
        out[o++] = (0.299 * r + 0.587 * g + 0.114 * bl) / 255;
      } else {
        out[o++] = r / 255;
        out[o++] = g / 255;
        out[o++] = bl / 255;
      }
    }
  }
}
