/** Where to cut the source image before the resize (pure: unit-tested in Node). */

export interface Rect {
  sx: number;
  sy: number;
  sw: number;
  sh: number;
}

/** The source rectangle to draw: all of it (stretch), or the centred crop of the target's aspect ratio. */
export function cropRect(srcW: number, srcH: number, dstW: number, dstH: number, mode: 'stretch' | 'crop'): Rect {
  if (mode === 'stretch') return { sx: 0, sy: 0, sw: srcW, sh: srcH };
  const scale = Math.max(dstW / srcW, dstH / srcH);
  const sw = Math.min(srcW, Math.round(dstW / scale));
  const sh = Math.min(srcH, Math.round(dstH / scale));
  return { sx: Math.floor((srcW - sw) / 2), sy: Math.floor((srcH - sh) / 2), sw, sh };
}
