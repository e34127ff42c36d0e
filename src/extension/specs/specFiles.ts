// Finding and naming training specs (`*.train.json`) in the workspace.
import { parse } from 'jsonc-parser';
import * as vscode from 'vscode';
import { UserCancelledError, UserError } from '../../shared/errors';
import { nameFromSpecPath } from '../training/trainingManager';

export const SPEC_GLOB = '**/*.train.json';
export const SPEC_EXCLUDE = '**/{node_modules,.model-studio,.git}/**';

export function isSpecUri(uri: vscode.Uri | undefined): uri is vscode.Uri {
  return uri !== undefined && uri.path.toLowerCase().endsWith('.train.json');
}

export async function findSpecs(limit = 200): Promise<vscode.Uri[]> {
  const found = await vscode.workspace.findFiles(SPEC_GLOB, SPEC_EXCLUDE, limit);
  return found.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
}

/** The spec's JSON as the open document or the file has it (comments and trailing commas tolerated); undefined when unreadable. */
export async function readSpecJson(uri: vscode.Uri): Promise<unknown> {
  try {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    return parse(text) as unknown;
  } catch {
    // Unreadable spec: the trainer will say why; the UI still needs names and values.
    return undefined;
  }
}

/** The spec's `name`, read from the open document or the file; the file name when it has none. */
export async function specName(uri: vscode.Uri): Promise<string> {
  const spec = await readSpecJson(uri);
  const name = typeof spec === 'object' && spec !== null ? (spec as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name.trim() ? name.trim() : nameFromSpecPath(uri.fsPath);
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
  // Named by the spec's own name and where it is: two copies of an example differ only by folder.
  const items = await Promise.all(specs.map(async (uri) => ({ label: await specName(uri), description: vscode.workspace.asRelativePath(uri), uri })));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Train which spec?',
    placeHolder: 'Pick a training spec',
    matchOnDescription: true,
    ignoreFocusOut: true,
  });
  if (!picked) throw new UserCancelledError();
  return picked.uri;
}

/** Saves the spec first when it is open with unsaved edits, so the trainer reads what the user sees. */
export async function saveIfDirty(uri: vscode.Uri): Promise<void> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (doc?.isDirty) await doc.save();
}
