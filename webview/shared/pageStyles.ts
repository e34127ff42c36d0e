// Styles are injected with the page's nonce: the CSP allows no other inline style.
import { pageNonce } from './pageNonce';

/** Adds one nonce'd <style> per sheet, in order (later sheets win). */
export function injectStyles(...sheets: string[]): void {
  const nonce = pageNonce();
  for (const css of sheets) {
    const style = document.createElement('style');
    style.nonce = nonce;
    style.textContent = css;
    document.head.append(style);
  }
}
