/**
 * What a setting's value may look like: one zod parser per kind of value, from the environment's string
 * to what the app uses. Each parser's messages complete "<VARIABLE>: expected …", so a bad value stops
 * start-up naming the variable and what it expects. Unset and empty are handled before a parser runs
 * (app/shared/config.ts): a parser always gets a string with something in it, or a setting's default.
 */
import { z } from 'zod';
import { formatManualHost, parseManualHost } from './manual-hosts.js';

/**
 * Numbers are plain decimals: `Number()` would also take "1e3", "0x50", " 80 " or "Infinity", and a
 * port or a limit written that way is a mistake worth stopping for.
 */
const decimal = (pattern: RegExp, what: string, min: number, max: number) => {
  const expected = `${what} from ${min} to ${max}`;
  return z.string().regex(pattern, expected).transform(Number).pipe(z.number().min(min, expected).max(max, expected));
};
export const int = (min: number, max: number) => decimal(/^\d+$/, 'a whole number', min, max);
export const number = (min: number, max: number) => decimal(/^\d+(\.\d+)?$/, 'a decimal number', min, max);

export const text = () => z.string();

export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.string().refine((value): value is T[number] => values.includes(value), `one of ${values.join(', ')}`);

export const flag = () =>
  z
    .string()
    .refine((value) => value === 'true' || value === 'false', 'true or false')
    .transform((value) => value === 'true');

/** A URL of one of `schemes` that names a host (a libpq `?host=` socket directory counts). */
const serverUrl = (schemes: string[], expected: string) =>
  z.string().refine((value) => {
    const url = URL.canParse(value) ? new URL(value) : undefined;
    return !!url && schemes.includes(url.protocol) && (url.hostname !== '' || url.searchParams.has('host'));
  }, expected);
export const postgresUrl = () =>
  serverUrl(
    ['postgres:', 'postgresql:'],
    'a postgres:// or postgresql:// URL with a host, e.g. postgres://user:password@host:5432/db',
  );
export const redisUrl = () =>
  serverUrl(['redis:', 'rediss:'], 'a redis:// or rediss:// URL with a host, e.g. redis://host:6379');
export const httpUrl = () => z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' });
export const email = () => z.email({ error: 'an email address' });

/** Sentry's DSN: scheme://public-key@host[/path]/project-id. */
export const sentryDsn = () =>
  z.string().refine((value) => {
    const url = URL.canParse(value) ? new URL(value) : undefined;
    return !!url && /^https?:$/.test(url.protocol) && url.username !== '' && /\/[^/]+$/.test(url.pathname);
  }, 'a Sentry DSN like https://<public key>@<host>/<project id>');

export const hostPortList = () =>
  z
    .string()
    .regex(/^[^\s:,]+:\d{1,5}(,[^\s:,]+:\d{1,5})*$/, 'a comma-separated list of host:port, e.g. "s1:26379,s2:26379"')
    .transform((list) =>
      list.split(',').map((entry) => {
        const at = entry.lastIndexOf(':');
        return { host: entry.slice(0, at), port: Number(entry.slice(at + 1)) };
      }),
    );

/**
 * Manual hosts, each `host` or `host:port` (IPv6 in brackets), in one spelling: a host alone means its
 * default ports (80, 443) only; see app/shared/config/manual-hosts.ts.
 */
export const manualHostList = () =>
  z.string().transform((list, ctx) => {
    const hosts: string[] = [];
    for (const entry of list
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean)) {
      const parsed = parseManualHost(entry);
      if (!parsed) {
        ctx.addIssue({
          code: 'custom',
          message: `a comma-separated list of host or host:port (IPv6 in brackets, e.g. [fd00::1]:8443); "${entry}" is not one`,
        });
        return z.NEVER;
      }
      hosts.push(formatManualHost(parsed));
    }
    return hosts;
  });

/** Browser origins, each exactly `scheme://host[:port]` (what a browser sends in `Origin`). */
export const originSet = () =>
  z.string().transform((list, ctx) => {
    const origins = new Set<string>();
    for (const entry of list
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean)) {
      const url = URL.canParse(entry) ? new URL(entry) : undefined;
      if (!url || !/^https?:$/.test(url.protocol) || url.origin !== entry.replace(/\/+$/, '').toLowerCase()) {
        ctx.addIssue({
          code: 'custom',
          message: `a comma-separated list of origins like https://support.example.com; "${entry}" is not one`,
        });
        return z.NEVER;
      }
      origins.add(url.origin);
    }
    return origins as ReadonlySet<string>;
  });

export const proxyHops = () =>
  z
    .string()
    .regex(/^(true|false|\d{1,2})$/, 'the number of proxies in front (the ingress is 1), or true (= 1) / false (= 0)')
    .transform((v) => (v === 'true' ? 1 : v === 'false' ? 0 : Number(v)));

export const secretToken = () => z.string().min(32, 'at least 32 characters (use a random secret)');
