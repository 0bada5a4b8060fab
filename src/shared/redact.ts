/**
 * Credentials out of everything saved or shown (results, probe output, logs,
 * output channels, history, copied commands). The one place that decides
 * what a secret looks like:
 * - a URL keeps its host, path and harmless query parameters, but loses
 *   `user:password@` and any query parameter whose name says it carries a
 *   secret (`?token=`, `api_key=`…);
 * - a header, metadata entry or query parameter is a secret when its name
 *   says so (Authorization, x-api-key, anything with key, token, secret…);
 * - free text (a log line) gets both, plus `name: value` / `name=value` /
 *   `--name value` pairs with such a name, plus any known secret value.
 * Pure code without imports: core, host and webview bundles use it.
 */

/** Query parameter, header or metadata names that carry a secret. */
export const SECRET_NAME = /key|token|secret|passw|pwd|auth|credential|signature|^sig$|session|cookie/i;

/** What a secret is replaced with where it would be shown (logs, the panel's sent headers). */
export const MASK = '••••••••';

/** The URL without userinfo and without secret query parameters (others are kept: they may select an API version). A path ("/v1/x?token=…") keeps its form. */
export function redactUrl(url: string): string {
  const text = url.trim();
  if (text.startsWith('/')) {
    const clean = redactUrl(`http://path.invalid${text}`);
    return clean === `http://path.invalid${text}` ? text : clean.replace(/^http:\/\/path\.invalid/, '');
  }
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    // Not a URL we can parse: still never echo a userinfo part.
    return url.replace(/\/\/[^/@\s]*@/, '//');
  }
  const secrets = [...u.searchParams.keys()].filter((name) => SECRET_NAME.test(name));
  // Nothing to remove: the URL as the user wrote it.
  if (!u.username && !u.password && !secrets.length) return text;
  u.username = '';
  u.password = '';
  for (const name of secrets) u.searchParams.delete(name);
  if (![...u.searchParams.keys()].length) u.search = '';
  const out = u.toString();
  // "http://user:pw@host:8000" stays without the slash URL adds to an empty path.
  return u.pathname === '/' && !u.search && !/^[a-z]+:\/\/[^/]*\/(?:[?#]|$)/i.test(text) ? out.replace(/\/$/, '') : out;
}

/**
 * A URL or path whose secret query parameters carry `replacement` instead of
 * their value (a draft keeps `?key=${apiKey}`: the stored key goes in at send
 * time, as for a credential header). Values already equal to it stay.
 */
export function maskQuery(pathOrUrl: string, replacement: string): string {
  const q = pathOrUrl.indexOf('?');
  if (q < 0) return pathOrUrl;
  const hash = pathOrUrl.indexOf('#', q);
  const end = hash < 0 ? pathOrUrl.length : hash;
  const query = pathOrUrl
    .slice(q + 1, end)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      return eq >= 0 && SECRET_NAME.test(decodeURIComponentSafe(name)) ? `${name}=${replacement}` : pair;
    })
    .join('&');
  return `${pathOrUrl.slice(0, q + 1)}${query}${pathOrUrl.slice(end)}`;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;
// A name ending in a secret word, then ": ", "=", '": "', or a space or '","' (a JSON argument list) after a --flag; then the value (an auth scheme stays).
const PAIR_IN_TEXT =
  /(^|[^\w-])((?:--)?(?:[\w-]*[-_.])?(?:api[-_]?key|apikey|key|token|secret|password|passwd|pwd|authorization|auth|cookie|credentials?|signature))(["']?\s*[:=]\s*["']?|(?<=--[\w-]+) +|(?<=--[\w-]+)",\s*")((?:Bearer|Basic|Token|Digest|Api-?Key)\s+)?([^\s,;&"'}\]]+)/gi;

/**
 * A line of free text (a log message, an output-channel line) without
 * credentials: URLs redacted, secret `name: value` pairs masked, and every
 * `known` secret value (stored API keys, tokens a launch uses) masked
 * wherever it appears.
 */
export function redactText(text: string, known: Iterable<string> = []): string {
  let out = text;
  for (const k of known) if (k && k.length >= 4) out = out.split(k).join(MASK);
  out = out.replace(URL_IN_TEXT, (m) => {
    const tail = /[).,;\]]+$/.exec(m)?.[0] ?? '';
    return redactUrl(m.slice(0, m.length - tail.length)) + tail;
  });
  return out.replace(
    PAIR_IN_TEXT,
    (_m, pre: string, name: string, sep: string, scheme: string | undefined, value: string) =>
      value === MASK || value.startsWith('${') ? _m : `${pre}${name}${sep}${scheme ?? ''}${MASK}`,
  );
}
