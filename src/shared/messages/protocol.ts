/**
 * The envelope every panel speaks. Each panel declares its own unions of
 * `HostToWebview` and `WebviewToHost` messages (discriminated by `type`) in a
 * file next to this one; both the host and the webview bundle import it.
 *
 * Handshake: the webview posts `{type:'ready'}` once its script runs; the host
 * queues everything it posts until then (a webview drops messages that arrive
 * before its listener exists).
 */
export interface ReadyMessage {
  type: 'ready';
}

export type AnyMessage = { type: string };
