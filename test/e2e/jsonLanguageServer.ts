// VS Code's own JSON language server (the json-language-features extension
// that code-server ships, built on vscode-json-languageservice), driven over
// the Language Server Protocol on stdio: what the editor asks it, the tests ask.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cacheDir } from '../../scripts/e2e/installCodeServer.mjs';

export const jsonServerPath = join(
  cacheDir,
  'node_modules/code-server/lib/vscode/extensions/json-language-features/server/dist/node/jsonServerMain.js',
);

export interface CompletionItem {
  label: string;
  insertText?: string;
  textEdit?: { newText: string };
}

interface Message {
  id?: number;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { message: string };
}

export class JsonLanguageServer {
  private readonly child: ChildProcess;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  private constructor() {
    if (!existsSync(jsonServerPath)) throw new Error(`${jsonServerPath} is missing: code-server is not installed (node scripts/e2e/installCodeServer.mjs)`);
    this.child = spawn(process.execPath, [jsonServerPath, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.child.stdout?.on('data', (chunk: Buffer) => this.receive(chunk));
    this.child.on('exit', (code) => {
      for (const { reject } of this.pending.values()) reject(new Error(`the JSON language server exited (${code})`));
      this.pending.clear();
    });
  }

  /** Starts the server with `schemaPath` associated to *.train.json, as the extension's jsonValidation does. */
  static async start(schemaPath: string): Promise<JsonLanguageServer> {
    const server = new JsonLanguageServer();
    await server.request('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: { textDocument: { completion: { completionItem: { snippetSupport: true } } } },
      initializationOptions: { handledSchemaProtocols: ['file'] },
    });
    server.notify('initialized', {});
    server.notify('workspace/didChangeConfiguration', {
      settings: { json: { schemas: [{ fileMatch: ['*.train.json'], url: pathToFileURL(schemaPath).href }], validate: { enable: true } } },
    });
    return server;
  }

  /** Completion items at `offset` of a *.train.json document with this text. */
  async complete(text: string, offset: number): Promise<CompletionItem[]> {
    const uri = `file:///tmp/completion-${this.nextId}.train.json`;
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'json', version: 1, text } });
    const before = text.slice(0, offset);
    const line = before.split('\n').length - 1;
    const character = offset - (before.lastIndexOf('\n') + 1);
    const result = (await this.request('textDocument/completion', { textDocument: { uri }, position: { line, character } })) as
      | CompletionItem[]
      | { items: CompletionItem[] };
    this.notify('textDocument/didClose', { textDocument: { uri } });
    return Array.isArray(result) ? result : result.items;
  }

  stop(): void {
    this.child.kill();
  }

  private request(method: string, params: unknown): Promise<unknown> {
    const id = this.nextId++;
    this.send({ id, method, params });
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  private notify(method: string, params: unknown): void {
    this.send({ method, params });
  }

  private send(message: Message): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }));
    this.child.stdin?.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin?.write(body);
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString()) as Message;
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.handle(message);
    }
  }

  private handle(message: Message): void {
    if (message.id !== undefined && message.method) {
      // A request from the server: schema content for file URIs, settings, registrations.
      const result = message.method === 'vscode/content' ? readFileSync(new URL(String((message.params as string[])[0])), 'utf8') : null;
      this.send({ id: message.id, result });
      return;
    }
    if (message.id === undefined) return;
    const waiter = this.pending.get(message.id);
    this.pending.delete(message.id);
    if (message.error) waiter?.reject(new Error(message.error.message));
    else waiter?.resolve(message.result);
  }
}
