import * as vscode from 'vscode';
import { draftPath, imageMime, readDraftFile } from './panelContext';

/** Asks for a file to send (TorchServe body) or to turn into a tensor (image); returns the path a draft keeps. */
export async function pickFile(purpose: 'body' | 'image'): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: purpose === 'image' ? 'Use Image' : 'Use as Body',
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    filters: purpose === 'image' ? { Images: ['png', 'jpg', 'jpeg', 'gif', 'webp', 'bmp'] } : undefined,
  });
  return picked?.[0] ? draftPath(picked[0]) : undefined;
}

/** An image's bytes for the webview to decode and resize with its canvas (the browser decodes every common format). */
export async function readImageFile(p: string): Promise<{ mime: string; base64: string }> {
  const bytes = await readDraftFile(p);
  const mime = imageMime(p);
  if (!mime.startsWith('image/')) throw new Error(`${p} is not an image file (png, jpg, gif, webp or bmp)`);
  return { mime, base64: Buffer.from(bytes).toString('base64') };
}
