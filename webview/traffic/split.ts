// Split math for the page: the same code the host uses (src/shared/trafficEditing.ts).
export { setShare } from '../../src/shared/trafficEditing';

export function describeChangeRows(rows: readonly { id: string; label: string; current: number }[], split: Readonly<Record<string, number>>): string[] {
  return rows.filter((r) => split[r.id] !== r.current).map((r) => `${r.label} ${r.current}% → ${split[r.id]}%`);
}
