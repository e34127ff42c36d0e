// Chart colours come from VS Code's theme variables, resolved to concrete
// rgb() strings (a canvas cannot read CSS variables), and are re-read when the
// user switches between light, dark and high-contrast themes.

import { MAX_COMPARED_RUNS } from '../../src/shared/protocol/dashboard';

export interface Palette {
  foreground: string;
  muted: string;
  grid: string;
  background: string;
  /** Distinct line colours: one per run in compare mode (the theme's six, then generated ones). */
  lines: string[];
  /** Single-run colours for train per batch, train per epoch and validation. */
  train: string;
  trainEpoch: string;
  validation: string;
  highContrast: boolean;
}

const LINE_VARIABLES: [string, string][] = [
  ['--vscode-charts-blue', '#3794ff'],
  ['--vscode-charts-orange', '#d18616'],
  ['--vscode-charts-green', '#89d185'],
  ['--vscode-charts-purple', '#b180d7'],
  ['--vscode-charts-red', '#f14c4c'],
  ['--vscode-charts-yellow', '#cca700'],
];

let probe: HTMLElement | undefined;

/** Any CSS colour expression (variables, color-mix) as the rgb()/rgba() string the browser computes. */
export function resolveColor(expression: string): string {
  if (!probe) {
    probe = document.createElement('span');
    probe.hidden = true;
    document.body.append(probe);
  }
  probe.style.color = '';
  probe.style.color = expression;
  return getComputedStyle(probe).color;
}

/**
 * A colour at the given opacity (0..1), for faint raw lines and grid lines, as
 * rgba(): canvases do not take every CSS colour syntax (e.g. color(srgb ...)).
 */
export function withAlpha(color: string, alpha: number): string {
  const [r, g, b, a] = parseRgb(resolveColor(color));
  return `rgba(${r}, ${g}, ${b}, ${+(a * alpha).toFixed(3)})`;
}

/** Reads "rgb(1, 2, 3)", "rgba(1, 2, 3, 0.5)" or "color(srgb 0.1 0.2 0.3 / 0.5)". */
export function parseRgb(color: string): [number, number, number, number] {
  const numbers = (color.match(/-?[\d.]+(e-?\d+)?/g) ?? []).map(Number);
  if (color.startsWith('color(')) {
    const [r = 0, g = 0, b = 0, a = 1] = numbers;
    return [Math.round(r * 255), Math.round(g * 255), Math.round(b * 255), a];
  }
  const [r = 0, g = 0, b = 0, a = 1] = numbers;
  return [r, g, b, a];
}

/** Distinct colours: every run of the largest comparison gets its own. */
const DISTINCT_LINE_COLORS = MAX_COMPARED_RUNS;

/**
 * Colours after the theme's six: hues a golden angle apart (neighbours differ
 * most), offset from the theme's, at a lightness that reads on the background.
 */
export function extraLineColors(count: number, light: boolean): string[] {
  return Array.from({ length: count }, (_, i) => {
    const hue = Math.round((20 + i * 137.508) % 360);
    const lightness = (light ? 38 : 64) + (i % 3) * (light ? -6 : 6);
    return `hsl(${hue}, ${i % 2 ? 55 : 75}%, ${lightness}%)`;
  });
}

export function readPalette(): Palette {
  const classes = document.body.classList;
  const highContrast = classes.contains('vscode-high-contrast') || classes.contains('vscode-high-contrast-light');
  const light = classes.contains('vscode-light') || classes.contains('vscode-high-contrast-light');
  const themed = LINE_VARIABLES.map(([name, fallback]) => resolveColor(`var(${name}, ${fallback})`));
  const lines = [...themed, ...extraLineColors(DISTINCT_LINE_COLORS - themed.length, light)];
  const foreground = resolveColor('var(--vscode-foreground, #cccccc)');
  return {
    foreground,
    muted: resolveColor('var(--vscode-descriptionForeground, #9d9d9d)'),
    grid: highContrast ? withAlpha(foreground, 0.35) : withAlpha(foreground, 0.1),
    background: resolveColor('var(--vscode-editor-background, #1f1f1f)'),
    lines,
    train: lines[0],
    trainEpoch: lines[3],
    validation: lines[1],
    highContrast,
  };
}

/** Calls back when VS Code switches theme (it changes body classes and the variables on <html>). */
export function onThemeChange(callback: () => void): () => void {
  const observer = new MutationObserver(() => callback());
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-id'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  return () => observer.disconnect();
}
