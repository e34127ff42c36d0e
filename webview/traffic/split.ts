// Split math for the page, from the extension's pure module (same code as the host).
export { setShare } from '../../src/extension/cloud/trafficMath';

export function describeChangeRows(rows: readonly { id: string; label: string; current: number }[], split: Readonly<Record<string, number>>): string[] {
  return rows.filter((r) => split[r.id] !== r.current).map((r) => `${r.label} ${r.current}% → ${split[r.id]}%`);
}
