// The webview side of a panel's protocol, the one place a page talks to the
// extension host: it acquires the VS Code API once, posts typed messages,
// accepts only messages that pass the protocol's guard (others are logged
// with console.warn and ignored), says 'ready' once it listens, and matches
// replies to requests by id, with a timeout.

import { describeForLog, isReplyMessage, type Guard, type ReadyMessage, type ReplyMessage } from '../../src/shared/protocol/guards';

/** What VS Code gives a webview's script. */
export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

let acquired: VsCodeApi | undefined;

/** The page's VS Code API; acquireVsCodeApi may be called only once per page. */
export function vscodeApi(): VsCodeApi {
  acquired ??= acquireVsCodeApi();
  return acquired;
}

/** How long a request waits for its reply unless told otherwise. */
export const REQUEST_TIMEOUT_MS = 30_000;

interface Pending {
  resolve(): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/** Where the host's messages arrive: the page's `window`. */
export interface MessageSource {
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export interface HostClientOptions<In> {
  /** Names the page in console warnings: "Dashboard". */
  name: string;
  /** The protocol's guard for host -> webview messages. */
  isMessage: Guard<In>;
  /** The page's window. */
  source: MessageSource;
  /** Defaults to the page's VS Code API. */
  api?: VsCodeApi;
}

export class HostClient<In extends { type: string }, Out extends { type: string }> {
  private readonly api: VsCodeApi;
  private readonly pending = new Map<number, Pending>();
  private nextRequestId = 1;
  private listener: ((event: { data: unknown }) => void) | undefined;

  constructor(private readonly options: HostClientOptions<In>) {
    this.api = options.api ?? vscodeApi();
  }

  /**
   * Starts listening, then says 'ready' so the host starts posting (the
   * handshake: nothing is missed). Replies settle their requests and are not
   * passed on.
   */
  connect(onMessage: (message: Exclude<In, ReplyMessage>) => void): void {
    if (this.listener) return;
    this.listener = (event) => {
      const message = event.data;
      if (!this.options.isMessage(message)) {
        console.warn(`${this.options.name}: ignored a malformed message from the extension: ${describeForLog(message)}`);
        return;
      }
      if (isReplyMessage(message)) this.settle(message.requestId, message.error);
      // Not a reply, so one of the other message types (TypeScript cannot narrow a generic union).
      else onMessage(message as Exclude<In, ReplyMessage>);
    };
    this.options.source.addEventListener('message', this.listener);
    const ready: ReadyMessage = { type: 'ready' };
    this.api.postMessage(ready);
  }

  post(message: Out): void {
    this.api.postMessage(message);
  }

  /**
   * Posts the request that `make` builds around a fresh request id; resolves
   * when the host replies, rejects with the host's error or after the timeout.
   */
  request(make: (requestId: number) => Extract<Out, { requestId: number }>, timeoutMs = REQUEST_TIMEOUT_MS): Promise<void> {
    const requestId = this.nextRequestId++;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.settle(requestId, 'The extension did not answer in time.'), timeoutMs);
      this.pending.set(requestId, { resolve, reject, timer });
      this.api.postMessage(make(requestId));
    });
  }

  getState(): unknown {
    return this.api.getState();
  }

  setState(state: unknown): void {
    this.api.setState(state);
  }

  /** Stops listening; requests still waiting are rejected. */
  dispose(): void {
    if (this.listener) this.options.source.removeEventListener('message', this.listener);
    this.listener = undefined;
    for (const requestId of [...this.pending.keys()]) this.settle(requestId, 'The panel closed before the extension answered.');
  }

  private settle(requestId: number, error: string | undefined): void {
    const pending = this.pending.get(requestId);
    if (!pending) return;
    this.pending.delete(requestId);
    clearTimeout(pending.timer);
    if (error) pending.reject(new Error(error));
    else pending.resolve();
  }
}
