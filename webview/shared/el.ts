// The panels' element builder: `el('button', { className: 'primary', onclick }, 'Apply')`.
// Props are assigned as properties (a string assigned to style sets its
// cssText); `dataset` is merged into the element's data attributes.
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, unknown> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'dataset') Object.assign(node.dataset, v);
    else (node as unknown as Record<string, unknown>)[k] = v;
  }
  node.append(...children);
  return node;
}
