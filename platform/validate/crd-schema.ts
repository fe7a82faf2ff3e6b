/**
 * Custom resources validated against their CRD's own OpenAPI schema (the CRDs kept in platform/crds/, so
 * this needs no network): types, enums, required fields, and unknown fields, which the API server would
 * prune silently. Structural-schema rules as Kubernetes applies them: an object schema with `properties`
 * admits nothing else unless it says `x-kubernetes-preserve-unknown-fields` or has `additionalProperties`.
 * Then the CRD's CEL rules (cel-rules.ts), transition rules included when the previous object is given.
 * Formats are the API server's to check, not ours.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { celProblems } from './cel-rules.js';

export const crdDirectory = new URL('../crds/', import.meta.url);

type Schema = Record<string, unknown>;

interface CrdDocument {
  kind: string;
  spec: {
    group: string;
    names: { kind: string };
    versions: Array<{ name: string; served: boolean; schema: { openAPIV3Schema: Schema } }>;
  };
}

/** Closes every object schema that lists its properties, as the API server's pruning does. */
function structural(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(structural);
  if (!schema || typeof schema !== 'object') return schema;
  const node = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, structural(v)])) as Schema;
  if (node.properties && !('additionalProperties' in node) && node['x-kubernetes-preserve-unknown-fields'] !== true)
    node.additionalProperties = false;
  return node;
}

/** apiVersion/kind → the served version's schema, for every CRD file in the directory. */
export function loadCrdSchemas(directory: URL = crdDirectory): Map<string, Schema> {
  const schemas = new Map<string, Schema>();
  for (const file of readdirSync(directory).filter((f) => f.endsWith('.yaml'))) {
    const crd = parse(readFileSync(new URL(file, directory), 'utf8')) as CrdDocument;
    if (crd.kind !== 'CustomResourceDefinition') continue;
    for (const version of crd.spec.versions.filter((v) => v.served))
      schemas.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, version.schema.openAPIV3Schema);
  }
  return schemas;
}

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const schemas = loadCrdSchemas();
const compiled = new Map<string, ValidateFunction>();

/** True when a CRD in platform/crds/ defines this apiVersion/kind. */
export function hasCrdSchema(key: string): boolean {
  return schemas.has(key);
}

export interface CrdProblem {
  unknownField: boolean;
  /** A CEL rule (x-kubernetes-validations) failed. */
  cel?: boolean;
  message: string;
}

function describe(error: ErrorObject): CrdProblem {
  const path = error.instancePath || '/';
  if (error.keyword === 'additionalProperties') {
    const field = (error.params as { additionalProperty: string }).additionalProperty;
    return { unknownField: true, message: `${path === '/' ? '' : path}/${field}` };
  }
  return { unknownField: false, message: `${path}: ${error.message ?? error.keyword}` };
}

function compile(key: string): ValidateFunction {
  const schema = schemas.get(key);
  if (!schema) throw new Error(`no CRD in platform/crds/ defines ${key}`);
  const validate = ajv.compile(structural(schema) as Schema);
  compiled.set(key, validate);
  return validate;
}

/**
 * Problems of `object` against the CRD of `key` (apiVersion/kind): structural schema with pruning, then the
 * CEL rules; `old` (the object as last applied) makes it an update, so `oldSelf` rules run. [] when valid.
 */
export function crdProblems(key: string, object: unknown, old?: unknown): CrdProblem[] {
  const validate = compiled.get(key) ?? compile(key);
  // anyOf/oneOf report every failed branch; the branch errors underneath say what is actually wrong.
  const structuralProblems = validate(object)
    ? []
    : (validate.errors ?? []).filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf').map(describe);
  const cel = celProblems(schemas.get(key)!, object, old).map((p) => ({
    unknownField: false,
    cel: true,
    message: `${p.path || '/'}: ${p.message}`,
  }));
  return [...structuralProblems, ...cel];
}
