import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RequestTarget } from '../../shared/request';
import type { RgbaImage } from '../../core/request/build/wire';
import type { Logger } from '../../core/util/logger';
import type { ImagePixels } from '../../shared/messages/request';
import type { HistoryStore } from './historyStore';
import type { RequestServers } from '../../core/request/requestServers';

/** What every request panel shares: the extension context, servers, history, secrets. */
export interface PanelContext {
  context: vscode.ExtensionContext;
  log: Logger;
  history: HistoryStore;
  /** Undefined while the Servers view is not available. */
  servers(): Promise<RequestServers | undefined>;
}

/** The server's API key from secret storage (`inferenceLab.server.<id>.apiKey`); never posted to the webview. */
export async function apiKeyFor(ctx: PanelContext, target: RequestTarget): Promise<string | undefined> {
  return (await ctx.context.secrets.get(`inferenceLab.server.${target.serverId}.apiKey`)) || undefined;
}

/** A path from a draft: absolute as is, otherwise relative to the first workspace folder. */
export function resolveWorkspacePath(p: string): vscode.Uri {
  if (path.isAbsolute(p)) return vscode.Uri.file(p);
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error(`"${p}" is a relative path but no folder is open`);
  return vscode.Uri.joinPath(folder.uri, p);
}

/** The shortest way to name a file in a draft: workspace-relative when inside the folder. */
export function draftPath(uri: vscode.Uri): string {
  const rel = vscode.workspace.asRelativePath(uri, false);
  return rel === uri.fsPath ? uri.fsPath : rel;
}

const maxFileBytes = 64 * 1024 * 1024;

export async function readDraftFile(p: string): Promise<Uint8Array> {
  const uri = resolveWorkspacePath(p);
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch {
    throw new Error(`File not found: ${p}`);
  }
  if (stat.size > maxFileBytes)
    throw new Error(`${p} is ${Math.round(stat.size / 1024 / 1024)} MB: the request panel sends files up to 64 MB`);
  return vscode.workspace.fs.readFile(uri);
}

export function decodeImages(images: Record<string, ImagePixels> | undefined): Record<string, RgbaImage> | undefined {
  if (!images) return undefined;
  const out: Record<string, RgbaImage> = {};
  for (const [name, px] of Object.entries(images)) {
    const data = Buffer.from(px.rgbaBase64, 'base64');
    if (data.length !== px.width * px.height * 4)
      throw new Error(`Image for "${name}" has ${data.length} bytes, expected ${px.width}×${px.height}×4`);
    out[name] = { width: px.width, height: px.height, data };
  }
  return out;
}

const mimes: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.bmp': 'image/bmp',
  '.svg': 'image/svg+xml',
};

export function imageMime(p: string): string {
  return mimes[path.extname(p).toLowerCase()] ?? 'application/octet-stream';
}
