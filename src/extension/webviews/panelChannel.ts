// The host side of a webview panel's protocol: every message the webview
// posts passes the protocol's guard or is logged and ignored; a valid one goes
// to the handler of its type; a request (a message with a requestId) is
// answered with a `reply` when its handler settles. After dispose nothing is
// handled or posted, and handlers still running see their signal aborted.
// No `vscode` import: tests drive it directly.

import { errorMessage } from '../../shared/errors';
import { describeForLog, type Guard, type ReplyMessage } from '../../shared/protocol/guards';

/** Where the channel reports what it ignored (the extension's Log fits). */
export interface ChannelLog {
  warn(message: string): void;
  error(message: string): void;
}

/** One handler per message type; a request's handler rejects with an Error to answer with its message. */
export type MessageHandlers<In extends { type: string }> = {
  [K in In['type']]: (message: Extract<In, { type: K }>, signal: AbortSignal) => unknown;
};

export interface PanelChannelOptions<In extends { type: string }, Out> {
  /** Names the panel in log lines: "Traffic editor". */
  name: string;
  /** The protocol's guard for webview -> host messages. */
  isMessage: Guard<In>;
  /** Delivers a message to the webview (a rejection: it was not delivered). Replies go here too. */
  post(message: Out | ReplyMessage): unknown;
  handlers: MessageHandlers<In>;
  log: ChannelLog;
}

export class PanelChannel<In extends { type: string }, Out> {
  private readonly lifetime = new AbortController();

  constructor(private readonly options: PanelChannelOptions<In, Out>) {}

  get disposed(): boolean {
    return this.lifetime.signal.aborted;
  }

  /** Handles one message from the webview; resolves when its handler (and reply) is done. Never rejects. */
  async receive(raw: unknown): Promise<void> {
    if (this.disposed) return;
    const { name, isMessage, log } = this.options;
    if (!isMessage(raw)) {
      log.warn(`${name}: ignored a malformed message from the webview: ${describeForLog(raw)}`);
      return;
    }
    // The guard matched raw.type to its message type; TypeScript cannot follow that to the handler's parameter.
    const handler = this.options.handlers[raw.type as In['type']] as (message: In, signal: AbortSignal) => unknown;
    const requestId = 'requestId' in raw && typeof raw.requestId === 'number' ? raw.requestId : undefined;
    let error: string | undefined;
    try {
      await handler(raw, this.lifetime.signal);
    } catch (e) {
      error = errorMessage(e);
      if (requestId === undefined) log.error(`${name}: handling '${raw.type}' failed: ${error}`);
    }
    if (requestId !== undefined) await this.deliver({ type: 'reply', requestId, error });
  }

  /** Posts to the webview unless disposed; a failed delivery is logged, not thrown. */
  post(message: Out): Promise<void> {
    return this.deliver(message);
  }

  private async deliver(message: Out | ReplyMessage): Promise<void> {
    if (this.disposed) return;
    try {
      await this.options.post(message);
    } catch (error) {
      this.options.log.error(`${this.options.name}: a message to the webview failed: ${errorMessage(error)}`);
    }
  }

  /** Stops handling and posting; handlers still running see their signal aborted. */
  dispose(): void {
    this.lifetime.abort();
  }
}
