/**
 * Expands a VS Code snippet body the way accepting every default would:
 * `${1:text}` → text, `${1|a,b|}` → a, `$1`/`${1}` → the default given to
 * tabstop 1 elsewhere (mirrors), `$0` → nothing, escapes `\$ \} \\` → literal.
 * Variables (`$TM_FILENAME`, …) are reported as errors: our snippets use none.
 */
export function expandSnippet(body: string): string {
  const defaults = new Map<string, string>();
  collectDefaults(body, defaults);
  const [out] = expand(body, 0, defaults, false);
  return out;
}

function collectDefaults(body: string, defaults: Map<string, string>): void {
  // Expanding once records every `${n:…}` / `${n|…|}` default; nested placeholders included.
  expand(body, 0, defaults, false, true);
}

function expand(
  s: string,
  i: number,
  defaults: Map<string, string>,
  inPlaceholder: boolean,
  collecting = false,
): [string, number] {
  let out = '';
  while (i < s.length) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length && '$}\\'.includes(s[i + 1])) {
      out += s[i + 1];
      i += 2;
    } else if (c === '}' && inPlaceholder) return [out, i + 1];
    else if (c === '$') {
      const simple = /^\$(\d+)/.exec(s.slice(i));
      if (simple) {
        out += simple[1] === '0' ? '' : (defaults.get(simple[1]) ?? '');
        i += simple[0].length;
        continue;
      }
      const choice = /^\$\{(\d+)\|([^|]*)\|\}/.exec(s.slice(i));
      if (choice) {
        const first = choice[2].split(',')[0].replace(/\\(.)/g, '$1');
        if (!defaults.has(choice[1])) defaults.set(choice[1], first);
        out += first;
        i += choice[0].length;
        continue;
      }
      const open = /^\$\{(\d+)(:?)/.exec(s.slice(i));
      if (open) {
        i += open[0].length;
        if (!open[2]) {
          if (s[i] !== '}') throw new Error(`bad tabstop at ${i}`);
          out += defaults.get(open[1]) ?? '';
          i++;
          continue;
        }
        const [inner, next] = expand(s, i, defaults, true, collecting);
        if (collecting && !defaults.has(open[1])) defaults.set(open[1], inner);
        out += inner;
        i = next;
        continue;
      }
      if (/^\$(\{)?[A-Za-z_]/.test(s.slice(i))) throw new Error(`snippet variable at ${i}: ${s.slice(i, i + 20)}`);
      out += c;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  if (inPlaceholder) throw new Error('placeholder not closed');
  return [out, i];
}
