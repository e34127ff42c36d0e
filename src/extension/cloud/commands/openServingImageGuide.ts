// Model Studio: Open Serving Image Guide: the README's section on building
// and pushing the serving image (the one-time setup before models can be
// pushed to a Google Cloud project), in the Markdown preview. The setting
// modelStudio.cloud.servingImage links here.
import * as vscode from 'vscode';

export const SERVING_GUIDE_TITLE = 'Open Serving Image Guide';
/** The README heading the guide opens at. */
export const SERVING_GUIDE_HEADING = '### The serving image';

export async function openServingImageGuide(extension: vscode.ExtensionContext): Promise<void> {
  // The Markdown preview cannot open a file URI with a #fragment here ("cannot be found"), but it starts
  // at the top line of the same file's active editor: show the heading at the top first.
  const readme = await findReadme(extension.extensionUri);
  const document = await vscode.workspace.openTextDocument(readme);
  const line = Math.max(0, document.getText().split(/\r?\n/).indexOf(SERVING_GUIDE_HEADING));
  const at = new vscode.Range(line, 0, line, 0);
  const editor = await vscode.window.showTextDocument(document, { preview: true, selection: at });
  await revealAtTop(editor, at);
  await vscode.commands.executeCommand('markdown.showPreview', readme);
}

/** README.md in the sources; the packaged extension has it as readme.md (vsce renames it). */
async function findReadme(folder: vscode.Uri): Promise<vscode.Uri> {
  for (const name of ['README.md', 'readme.md']) {
    const uri = vscode.Uri.joinPath(folder, name);
    try {
      await vscode.workspace.fs.stat(uri);
      return uri;
    } catch {
      // Try the other spelling.
    }
  }
  throw new Error(`The extension's README is missing from ${folder.fsPath}`);
}

/** Scrolls `range` to the top and waits (briefly) until the editor reports it there. */
async function revealAtTop(editor: vscode.TextEditor, range: vscode.Range): Promise<void> {
  const atTop = (): boolean => editor.visibleRanges[0]?.start.line === range.start.line;
  const shown = new Promise<void>((done) => {
    const timer = setTimeout(finish, 1_000);
    const listener = vscode.window.onDidChangeTextEditorVisibleRanges((e) => {
      if (e.textEditor === editor && atTop()) finish();
    });
    function finish(): void {
      clearTimeout(timer);
      listener.dispose();
      done();
    }
  });
  editor.revealRange(range, vscode.TextEditorRevealType.AtTop);
  if (!atTop()) await shown;
}
