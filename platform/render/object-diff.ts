/**
 * Field-level differences between two versions of a rendered object, as `path: old → new` lines
 * (`spec.storage.size: 100Gi → 200Gi`). List items that carry a `name` are addressed by it
 * (`containers[name=gateway].image`), so inserting a container does not show every later one as changed.
 */
export interface FieldChange {
  path: string;
  before: unknown;
  after: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const named = (list: unknown[]): boolean =>
  list.length > 0 &&
  list.every((i) => isObject(i) && typeof i.name === 'string') &&
  new Set(list.map((i) => (i as { name: string }).name)).size === list.length;
const join = (path: string, key: string) =>
  path === '' ? key : /^[\w-]+$/.test(key) ? `${path}.${key}` : `${path}["${key}"]`;

/** Every leaf (or whole added/removed subtree) that differs, in document order. */
export function fieldChanges(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => fieldChanges(before[k], after[k], join(path, k)));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    if (named(before) && named(after)) {
      const byName = (list: unknown[]) => new Map(list.map((i) => [(i as { name: string }).name, i]));
      const [b, a] = [byName(before), byName(after)];
      const names = [...new Set([...b.keys(), ...a.keys()])];
      return names.flatMap((n) => fieldChanges(b.get(n), a.get(n), `${path}[name=${n}]`));
    }
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => fieldChanges(before[i], after[i], `${path}[${i}]`)).flat();
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, before, after }];
}

const show = (value: unknown) =>
  value === undefined ? '(none)' : typeof value === 'string' ? value : JSON.stringify(value);

export function formatChange(change: FieldChange): string {
  return `${change.path}: ${show(change.before)} → ${show(change.after)}`;
}
