/**
 * Runs an Argo CD resource health script (Lua, `obj` in scope, returns `{ status, message }`) on an
 * object, with fengari (a Lua VM in JavaScript). Argo CD runs gopher-lua (Lua 5.1); the scripts here use
 * nothing the two versions disagree on.
 */
// @ts-expect-error fengari ships no types
import fengari from 'fengari';

const { lua, lauxlib, lualib, to_luastring } = fengari;

/** A JSON value as a Lua literal (objects keyed by ["name"], arrays 1-based). */
function literal(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `{${value.map(literal).join(', ')}}`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `[${JSON.stringify(k)}] = ${literal(v)}`)
    .join(', ')}}`;
}

export function runHealthScript(script: string, obj: object): { status: string; message: string } {
  const L = lauxlib.luaL_newstate();
  lualib.luaL_openlibs(L);
  const source = `local function health(obj)\n${script}\nend\nlocal hs = health(${literal(obj)})\nreturn hs.status, hs.message`;
  if (lauxlib.luaL_loadstring(L, to_luastring(source)) !== lua.LUA_OK)
    throw new Error(`the health script does not load: ${lua.lua_tojsstring(L, -1)}`);
  lua.lua_call(L, 0, 2);
  return { status: lua.lua_tojsstring(L, -2), message: lua.lua_tojsstring(L, -1) ?? '' };
}
