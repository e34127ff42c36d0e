// Model Studio: Open Serving Image Guide: the README's section on building
// and pushing the serving image (the one-time setup before models can be
// pushed to a Google Cloud project), in the Markdown preview. The setting
// modelStudio.cloud.servingImage links here.
import * as vscode from 'vscode';

export const SERVING_GUIDE_TITLE = 'Open Serving Image Guide';
/** The heading's anchor in README.md ("### The serving image"). */
export const SERVING_GUIDE_ANCHOR = 'the-serving-image';

export async function openServingImageGuide(extension: vscode.ExtensionContext): Promise<void> {
  const readme = vscode.Uri.joinPath(extension.extensionUri, 'README.md').with({ fragment: SERVING_GUIDE_ANCHOR });
  await vscode.commands.executeCommand('markdown.showPreview', readme);
}
