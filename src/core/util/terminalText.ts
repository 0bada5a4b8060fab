/**
 * Text a server controls (its version, model names, error bodies, stream
 * snippets) must not steer a terminal: an ESC sequence could set the window
 * title, clear the screen or move the cursor to fake lines. The CLI passes
 * every such string through `terminalSafe` before printing; JSON outputs keep
 * the raw values (JSON escapes control characters itself).
 */

// C0 controls except tab and newline, DEL, and the C1 range (U+0080–U+009F: 8-bit CSI, OSC…).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Replaces control characters with a visible escape (`\x1b`, `\r`…), so what
 * the server sent stays readable but cannot act. Bidi overrides are escaped
 * too (they can make text read in another order than it is).
 */
export function terminalSafe(text: string): string {
  return text.replace(CONTROL, (c) => {
    if (c === '\r') return '\\r';
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Same, on one line: newlines and tabs are escaped as well (a message must not fake a second line). */
export function terminalSafeLine(text: string): string {
  return terminalSafe(text).replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}

/**
 * The first bytes of an answer, escaped for a message: printable ASCII as it
 * is, everything else as `\n`, `\xNN`… Quoted, with "…" when cut.
 */
export function escapedBytes(bytes: Uint8Array | undefined, max = 60): string {
  if (!bytes || bytes.length === 0) return '(nothing)';
  let s = '';
  const n = Math.min(bytes.length, max);
  for (let k = 0; k < n; k++) {
    const b = bytes[k];
    if (b === 0x5c) s += '\\\\';
    else if (b === 0x22) s += '\\"';
    else if (b === 0x0a) s += '\\n';
    else if (b === 0x0d) s += '\\r';
    else if (b === 0x09) s += '\\t';
    else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return `"${s}"${bytes.length > max ? '…' : ''}`;
}
