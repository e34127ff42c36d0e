// How the traffic editor's rows lay out, measured in its page by the text a
// person reads. Shared by its Chromium test and the end-to-end suite.

export interface TrafficRowLayout {
  /** The % sits right of its number, on the same line. */
  unitBesideNumber: boolean;
  /** The number sits right of the slider, on the same line. */
  numberBesideSlider: boolean;
  sliderWidth: number;
  /** Lines the machine name and the model label take. */
  machineLines: number;
  labelLines: number;
}

export interface TrafficLayout {
  rows: TrafficRowLayout[];
  /** The page scrolls sideways. */
  overflows: boolean;
  /** The page's width in CSS pixels. */
  width: number;
}

/**
 * Measured in the page (a string: tsx's helpers do not exist there), by the
 * text a person reads: the "%" after the number, the machine name, the model name.
 */
export const MEASURE_TRAFFIC_ROWS = `(() => {
  const middle = (r) => (r.top + r.bottom) / 2;
  const textNode = (root, test) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) if (test(node.textContent)) return node;
    return undefined;
  };
  const rectsOf = (node) => {
    const range = document.createRange();
    range.selectNodeContents(node);
    return [...range.getClientRects()].filter((r) => r.width > 0);
  };
  const lines = (node) => new Set(rectsOf(node).map((r) => Math.round(r.top))).size;
  const rows = [...document.querySelectorAll('tbody tr')].map((tr) => {
    const range = tr.querySelector('input[type=range]').getBoundingClientRect();
    const number = tr.querySelector('input[type=number]').getBoundingClientRect();
    const unit = rectsOf(textNode(tr, (t) => t.trim() === '%')).at(-1);
    return {
      unitBesideNumber: unit.left >= number.right && Math.abs(middle(unit) - middle(number)) < 6,
      numberBesideSlider: number.left >= range.right && Math.abs(middle(number) - middle(range)) < 6,
      sliderWidth: range.width,
      machineLines: lines(textNode(tr, (t) => t.includes('standard'))),
      labelLines: lines(textNode(tr, (t) => /^mnist-mlp v\\d+$/.test(t.trim()))),
    };
  });
  return { rows, overflows: document.documentElement.scrollWidth > document.documentElement.clientWidth, width: document.documentElement.clientWidth };
})()`;

