/** A 28x28 canvas that shows an MNIST image of grey values in [0, 1] (others are clamped). */
export function mnistCanvas(pixels: readonly number[]): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = 28;
  canvas.height = 28;
  const context = canvas.getContext('2d') as CanvasRenderingContext2D;
  const image = context.createImageData(28, 28);
  pixels.forEach((v, i) => {
    const g = Math.round(Math.max(0, Math.min(1, v)) * 255);
    image.data.set([g, g, g, 255], i * 4);
  });
  context.putImageData(image, 0, 0);
  return canvas;
}
