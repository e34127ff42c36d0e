// Marks in the editor what the trainer will refuse in a *.train.json, as an
// error with the trainer's own sentence ("did you mean 'units'?"): the JSON
// schema's warnings say something is off, this says what training will do.
// Checks run a moment after the last keystroke, with the trainer's validation
// loaded from dist/specCheck.js at the first check (never at activation).
import * as vscode from 'vscode';
import type { Log } from '../log';
import type * as SpecCheck from './specCheckBundle';
import { isSpecUri } from './specFiles';

type SpecCheckModule = typeof SpecCheck;

/** Editable documents only: a spec shown from git history or a diff is not what trains. */
const CHECKED_SCHEMES = new Set(['file', 'untitled', 'vscode-remote']);

export class SpecDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('modelStudio.spec');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[];
  private checker: SpecCheckModule | undefined;

  constructor(
    private readonly bundlePath: string,
    private readonly log: Log,
    private readonly delayMs = 300,
  ) {
    this.disposables = [
      this.collection,
      vscode.workspace.onDidOpenTextDocument((document) => this.schedule(document)),
      vscode.workspace.onDidChangeTextDocument((event) => this.schedule(event.document)),
      vscode.workspace.onDidCloseTextDocument((document) => this.forget(document.uri)),
    ];
    for (const document of vscode.workspace.textDocuments) this.schedule(document);
  }

  private schedule(document: vscode.TextDocument): void {
    if (!isSpecUri(document.uri) || !CHECKED_SCHEMES.has(document.uri.scheme)) return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.check(document);
      }, this.delayMs),
    );
  }

  private check(document: vscode.TextDocument): void {
    if (document.isClosed) return;
    let problem: SpecCheck.SpecProblem | undefined;
    try {
      problem = this.load().findSpecProblem(document.getText());
    } catch (error) {
      this.log.error(`Could not check ${document.uri.fsPath}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return;
    }
    if (!problem) {
      this.collection.delete(document.uri);
      return;
    }
    const range = new vscode.Range(document.positionAt(problem.offset), document.positionAt(problem.offset + problem.length));
    const diagnostic = new vscode.Diagnostic(range, problem.message(), vscode.DiagnosticSeverity.Error);
    diagnostic.source = 'Model Studio';
    this.collection.set(document.uri, [diagnostic]);
  }

  private load(): SpecCheckModule {
    if (!this.checker) {
      const started = Date.now();
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a run-time path on purpose: esbuild leaves it alone
      this.checker = require(this.bundlePath) as SpecCheckModule;
      this.log.info(`Loaded the spec checks in ${Date.now() - started} ms`);
    }
    return this.checker;
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.collection.delete(uri);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const d of this.disposables) d.dispose();
  }
}
