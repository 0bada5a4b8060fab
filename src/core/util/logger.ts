/**
 * The small logging contract that core code receives. The extension passes an
 * adapter over its LogOutputChannel; the CLI and tests pass `nullLogger` or
 * `consoleLogger`. Core never decides where logs go.
 */
export interface Logger {
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string | Error, ...args: unknown[]): void;
}

export const nullLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** Logs to stderr (stdout stays free for machine-readable CLI output). */
export function consoleLogger(level: 'debug' | 'info' | 'warn' | 'error' = 'info'): Logger {
  const order = ['debug', 'info', 'warn', 'error'];
  const min = order.indexOf(level);
  const at =
    (l: string) =>
    (message: unknown, ...args: unknown[]) => {
      if (order.indexOf(l) >= min) console.error(`[${l}]`, message, ...args);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
