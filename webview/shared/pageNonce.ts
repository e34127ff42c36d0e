// The nonce the host put on this page's script tag. Styles the page injects
// must carry it: the CSP allows no other inline style.
export function pageNonce(): string {
  return (
    (document.currentScript as HTMLScriptElement | null)?.nonce ??
    document.querySelector<HTMLScriptElement>('script[nonce]')?.nonce ??
    ''
  );
}
