/**
 * The CRDs' CEL rules (`x-kubernetes-validations`), evaluated as the API server evaluates them, by a
 * maintained CEL implementation (@marcbachmann/cel-js: CEL-spec macros — has, exists, all, size, matches,
 * startsWith — and exact int/double typing, no dependencies). `self` is the value at the schema node
 * holding the rule, typed by the schema (integers as CEL ints). Transition rules (those naming `oldSelf`)
 * run only where an old value correlates, as on an update: through object properties, map keys and
 * `x-kubernetes-list-type: map` items; on a create they are skipped, exactly like the API server.
 */
import { parse } from '@marcbachmann/cel-js';

type Schema = Record<string, unknown> & {
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  type?: string;
  'x-kubernetes-validations'?: Array<{
    rule: string;
    message?: string;
    messageExpression?: string;
    fieldPath?: string;
  }>;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
};

export interface CelProblem {
  path: string;
  message: string;
}

const programs = new Map<string, ReturnType<typeof parse>>();
const program = (rule: string) => programs.get(rule) ?? programs.set(rule, parse(rule)).get(rule)!;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The JSON value as CEL sees it under `schema`: integers become CEL ints. */
function toCel(value: unknown, schema: Schema | undefined): unknown {
  if (schema?.type === 'integer' && typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (Array.isArray(value)) return value.map((v) => toCel(v, schema?.items));
  if (isObject(value))
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        toCel(
          v,
          schema?.properties?.[k] ?? (isObject(schema?.additionalProperties) ? schema.additionalProperties : undefined),
        ),
      ]),
    );
  return value;
}

interface Old {
  value: unknown;
}

function walk(schema: Schema | undefined, value: unknown, old: Old | undefined, path: string, out: CelProblem[]): void {
  if (!schema || value === undefined || value === null) return;
  for (const v of schema['x-kubernetes-validations'] ?? []) {
    const transition = /\boldSelf\b/.test(v.rule);
    if (transition && !old) continue;
    let result: unknown;
    try {
      result = program(v.rule)({
        self: toCel(value, schema),
        ...(transition ? { oldSelf: toCel(old!.value, schema) } : {}),
      });
    } catch (error) {
      out.push({ path, message: `rule \`${v.rule}\` could not be evaluated: ${(error as Error).message}` });
      continue;
    }
    if (result !== true)
      out.push({ path: `${path}${v.fieldPath ?? ''}`, message: v.message ?? `failed rule \`${v.rule}\`` });
  }
  const oldValue = old?.value;
  if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      const childSchema =
        schema.properties?.[key] ?? (isObject(schema.additionalProperties) ? schema.additionalProperties : undefined);
      const childOld = isObject(oldValue) && key in oldValue ? { value: oldValue[key] } : undefined;
      walk(childSchema, child, childOld, `${path}/${key}`, out);
    }
  }
  if (Array.isArray(value)) {
    const keys = schema['x-kubernetes-list-type'] === 'map' ? (schema['x-kubernetes-list-map-keys'] ?? []) : undefined;
    value.forEach((item, i) => {
      const match =
        keys && Array.isArray(oldValue)
          ? oldValue.find((o) => isObject(o) && isObject(item) && keys.every((k) => o[k] === item[k]))
          : undefined;
      walk(schema.items, item, match === undefined ? undefined : { value: match }, `${path}/${i}`, out);
    });
  }
}

/** Every CEL rule of `schema` that `object` breaks; with `old`, the transition rules too (an update). */
export function celProblems(schema: Schema, object: unknown, old?: unknown): CelProblem[] {
  const out: CelProblem[] = [];
  walk(schema, object, old === undefined ? undefined : { value: old }, '', out);
  return out;
}
