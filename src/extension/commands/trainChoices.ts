// Train With…'s questions as plain data: what each accepts, and the spec's
// own value to show as the default. The trainer checks the values again.

/** What the spec says now, for "empty: the spec's 32". */
export interface SpecTrainingValues {
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /** The optimizer's type, for "empty: adam's default". */
  optimizer?: string;
}

function numberAt(value: unknown, ...path: string[]): number | undefined {
  let node = value;
  for (const key of path) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
  return typeof node === 'number' ? node : undefined;
}

/** Reads the values from a spec's JSON, whatever shape it is in while being edited. */
export function trainingValuesOf(spec: unknown): SpecTrainingValues {
  const optimizer = typeof spec === 'object' && spec !== null ? (spec as { compile?: { optimizer?: unknown } }).compile?.optimizer : undefined;
  const type = typeof optimizer === 'string' ? optimizer : typeof optimizer === 'object' && optimizer !== null ? (optimizer as { type?: unknown }).type : undefined;
  return {
    epochs: numberAt(spec, 'fit', 'epochs'),
    batchSize: numberAt(spec, 'fit', 'batchSize'),
    learningRate: numberAt(spec, 'compile', 'optimizer', 'learningRate'),
    optimizer: typeof type === 'string' ? type : undefined,
  };
}

export function validateEpochs(text: string): string | undefined {
  return text.trim() === '' || /^[1-9]\d{0,4}$/.test(text.trim()) ? undefined : 'A whole number from 1 to 99999';
}

export function validateBatchSize(text: string): string | undefined {
  return text.trim() === '' || /^[1-9]\d{0,5}$/.test(text.trim()) ? undefined : 'A whole number of samples per step, e.g. 32, 64 or 128';
}

export function validateLearningRate(text: string): string | undefined {
  if (text.trim() === '') return undefined;
  const rate = Number(text.trim());
  return Number.isFinite(rate) && rate > 0 ? undefined : 'A number above 0, e.g. 0.001 (adam) or 0.01 (sgd)';
}

/** The number typed, or undefined when left empty (the spec's own value). */
export function chosenNumber(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text.trim());
}
