// Finding and naming training specs (`*.train.json`) in the workspace.
import * as path from 'node:path';
import { parse } from 'jsonc-parser';
import * as vscode from 'vscode';
import { UserCancelledError, UserError } from '../../shared/errors';
import { nameFromSpecPath } from '../training/trainingManager';

export const SPEC_GLOB = '**/*.train.json';
const EXCLUDE = '**/{node_modules,.model-studio,.git}/**';

export function isSpecUri(uri: vscode.Uri | undefined): uri is vscode.Uri {
  return uri !== undefined && uri.path.toLowerCase().endsWith('.train.json');
}

export async function findSpecs(limit = 200): Promise<vscode.Uri[]> {
  const found = await vscode.workspace.findFiles(SPEC_GLOB, EXCLUDE, limit);
  return found.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
}

/** The spec's `name`, read from the open document or the file; the file name when it has none. */
export async function specName(uri: vscode.Uri): Promise<string> {
  try {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const spec: unknown = parse(text);
    const name = typeof spec === 'object' && spec !== null ? (spec as { name?: unknown }).name : undefined;
    if (typeof name === 'string' && name.trim()) return name.trim();
  } catch {
    // Unreadable spec: the trainer will say why; the UI still needs a name.
  }
  return nameFromSpecPath(uri.fsPath);
}

/**
 * The spec a command acts on: the one it was invoked on, the active editor's,
 * the only one in the workspace, or the one the user picks.
 */
export async function resolveSpec(arg: unknown): Promise<vscode.Uri> {
  if (arg instanceof vscode.Uri && isSpecUri(arg)) return arg;
  const specPath = typeof arg === 'object' && arg !== null ? (arg as { group?: { specPath?: unknown } }).group?.specPath : undefined;
  if (typeof specPath === 'string' && specPath) return vscode.Uri.file(specPath);
  const active = vscode.window.activeTextEditor?.document.uri;
  if (isSpecUri(active)) return active;
  const specs = await findSpecs();
  if (specs.length === 0) {
    throw new UserError('No training spec (*.train.json) in the workspace: run "Model Studio: Create MNIST Example" or "Create Training Spec".');
  }
  if (specs.length === 1) return specs[0];
  const picked = await vscode.window.showQuickPick(
    specs.map((uri) => ({ label: path.basename(uri.fsPath), description: vscode.workspace.asRelativePath(uri, true), uri })),
    { title: 'Train which spec?', placeHolder: 'Pick a training spec', matchOnDescription: true, ignoreFocusOut: true },
  );
  if (!picked) throw new UserCancelledError();
  return picked.uri;
}

/** Saves the spec first when it is open with unsaved edits, so the trainer reads what the user sees. */
export async function saveIfDirty(uri: vscode.Uri): Promise<void> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (doc?.isDirty) await doc.save();
}
