// Number and name formatting shared by the views (no DOM).

const METRIC_TITLES: Record<string, string> = {
  loss: 'Loss',
  acc: 'Accuracy',
  accuracy: 'Accuracy',
  precision: 'Precision',
  recall: 'Recall',
  mse: 'Mean squared error',
  meanSquaredError: 'Mean squared error',
  mae: 'Mean absolute error',
  meanAbsoluteError: 'Mean absolute error',
};

export function metricTitle(name: string): string {
  return METRIC_TITLES[name] ?? name;
}

/** Up to 4 significant digits, without exponent noise for everyday values. */
export function formatValue(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(2);
  return Number(value.toPrecision(4)).toString();
}

/** Accuracy-like metrics read better as percentages. */
export function formatMetric(name: string, value: number | undefined): string {
  if (value === undefined) return '–';
  const base = name.replace(/^val_/, '');
  if ((base === 'acc' || base === 'accuracy' || base === 'precision' || base === 'recall') && value >= 0 && value <= 1) {
    return `${(value * 100).toFixed(2)}%`;
  }
  return formatValue(value);
}

export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h) return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return `${m}:${String(s).padStart(2, '0')}`;
}
