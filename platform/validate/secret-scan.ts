/**
 * The last line of defence for "no secret value anywhere under deploy/": every rendered file's text is
 * scanned for credentials (URLs with a password, auth lines with a literal, private keys). References to
 * environment variables ($VAR, ${VAR}) are what the files are supposed to contain, and pass.
 */
import type { Violation } from './violation.js';

const patterns: Array<{ what: string; re: RegExp }> = [
  { what: 'a URL with credentials', re: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@'"$]+:[^\s/@'"$]+@/i },
  {
    what: 'a literal Redis password',
    re: /^\s*(?:echo\s+["']?)?(?:requirepass|masterauth|sentinel\s+auth-pass\s+\S+)\s+(?!\\?["']?\$)\S+/im,
  },
  { what: 'a private key', re: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  {
    what: 'a literal password assignment',
    re: /\b[A-Z_]*(?:PASSWORD|API_KEY|SECRET)\s*[:=]\s*(?!["']?\$|\s*$)["']?[^\s"'$]{4,}/,
  },
];

export function scanForSecrets(files: ReadonlyMap<string, string>): Violation[] {
  const out: Violation[] = [];
  for (const [path, text] of files) {
    for (const { what, re } of patterns) {
      const hit = re.exec(text);
      if (hit)
        out.push({ rule: 'no-secret-values', object: path, message: `contains ${what} near "${hit[0].slice(0, 40)}"` });
    }
  }
  return out;
}
