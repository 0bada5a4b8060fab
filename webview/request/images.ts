/**
 * Image → RGBA pixels at the model's input size, with the browser's own
 * decoders (any format the webview can show) and a canvas for the resize.
 * The extension host turns the pixels into a tensor (layout, normalization).
 */
import type { ImagePixels, ImagePreprocess } from '../../src/shared/messages/request';
import { cropRect } from './crop';

export function bytesToBase64(bytes: Uint8Array): string {
  let s = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) s += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(s);
}

function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Decodes and resizes one image file (given as base64 bytes) to the preprocess size. */
export async function imagePixels(fileBase64: string, mime: string, p: ImagePreprocess): Promise<ImagePixels> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([base64ToBytes(fileBase64)], { type: mime }));
  } catch {
    throw new Error(`${p.path} could not be decoded as an image`);
  }
  const canvas = document.createElement('canvas');
  canvas.width = p.width;
  canvas.height = p.height;
  const g = canvas.getContext('2d');
  if (!g) throw new Error('This webview has no 2D canvas to resize the image');
  const r = cropRect(bitmap.width, bitmap.height, p.width, p.height, p.resize);
  g.imageSmoothingQuality = 'high';
  g.drawImage(bitmap, r.sx, r.sy, r.sw, r.sh, 0, 0, p.width, p.height);
  bitmap.close();
  const data = g.getImageData(0, 0, p.width, p.height).data;
  return {
    width: p.width,
    height: p.height,
    rgbaBase64: bytesToBase64(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)),
  };
}

/** Pixels per input and image settings, so a re-send does not decode again. */
export class ImageCache {
  private readonly cache = new Map<string, ImagePixels>();

  private static key(p: ImagePreprocess): string {
    return JSON.stringify([p.path, p.width, p.height, p.resize]);
  }

  get(p: ImagePreprocess): ImagePixels | undefined {
    return this.cache.get(ImageCache.key(p));
  }

  set(p: ImagePreprocess, px: ImagePixels): void {
    this.cache.set(ImageCache.key(p), px);
  }
}
