// "Did you mean ...?" for misspelled names. Keras habits are common in specs
// (max_pooling2d, sparse_categorical_crossentropy, Dense), so names are
// compared without case, underscores or dashes before counting edits.

function normalize(name: string): string {
  return name.toLowerCase().replace(/[_\-\s]/g, '');
}

/** Levenshtein distance: insertions, deletions and substitutions cost 1. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

/** The candidate closest to `name`, or undefined when none is plausibly meant. */
export function nearestName(name: string, candidates: readonly string[]): string | undefined {
  const wanted = normalize(name);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const normalized = normalize(candidate);
    // A prefix match ("conv" for "conv2d", "sparse" for the sparse loss) is a strong hint.
    const distance =
      normalized === wanted ? 0 : wanted.length >= 3 && normalized.startsWith(wanted) ? 1 : editDistance(wanted, normalized);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(2, Math.floor(wanted.length / 3));
  return bestDistance <= allowed ? best : undefined;
}

/** "; did you mean 'dense'?" or "; valid names: a, b, c" when nothing is close. */
export function suggestion(name: string, candidates: readonly string[], what = 'names'): string {
  const nearest = nearestName(name, candidates);
  if (nearest !== undefined) return `did you mean '${nearest}'?`;
  return `valid ${what}: ${candidates.join(', ')}`;
}
