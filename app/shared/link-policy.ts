/**
 * Where a link in an answer may point: the app's own routes only (a cited manual page,
 * /manuals/<id>.pdf#page=N, is one). The server keeps no other link in an answer and the browser
 * renders no other, so nothing a manual's text says becomes a way off the site. A second slash or a
 * backslash after the first makes a protocol-relative URL (`//host`, `/\host`), and browsers drop
 * tabs and newlines from URLs (`/\t/host` is `//host`): all of them are refused.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters in a URL are what is refused.
const APP_ROUTE = /^\/(?![/\\])[^\s\u0000-\u001f\u007f\\]*$/;

export function isAppRoute(url: string): boolean {
  return APP_ROUTE.test(url);
}
