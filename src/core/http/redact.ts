/**
 * Credentials out of everything saved or shown: a URL keeps its host, path
 * and harmless query parameters, but loses `user:password@` and any query
 * parameter whose name says it carries a secret (`?token=`, `api_key=`…).
 */

/** Query parameter or header names that carry a secret. */
export const SECRET_NAME = /key|token|secret|passw|pwd|auth|credential|signature|^sig$|session|cookie/i;

/** The URL without userinfo and without secret query parameters (others are kept: they may select an API version). */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    // Not a URL we can parse: still never echo a userinfo part.
    return url.replace(/\/\/[^/@\s]*@/, '//');
  }
  const secrets = [...u.searchParams.keys()].filter((name) => SECRET_NAME.test(name));
  // Nothing to remove: the URL as the user wrote it.
  if (!u.username && !u.password && !secrets.length) return url.trim();
  u.username = '';
  u.password = '';
  for (const name of secrets) u.searchParams.delete(name);
  if (![...u.searchParams.keys()].length) u.search = '';
  const out = u.toString();
  // "http://user:pw@host:8000" stays without the slash URL adds to an empty path.
  return u.pathname === '/' && !u.search && !/^[a-z]+:\/\/[^/]*\/(?:[?#]|$)/i.test(url.trim())
    ? out.replace(/\/$/, '')
    : out;
}
