/**
 * The destructive-change guard: what a new render does to objects the cluster already runs that the API
 * server refuses (immutable fields) or that loses data or availability (a shrunk volume, another storage
 * class, fewer Postgres instances, a removed PodDisruptionBudget). `npm run synth` compares against the
 * committed deploy/ and the preview workflow's deploy-diff against the base branch; both refuse a finding
 * unless the stack file allows that exact change in `allowDestructive`, with a date and a reason.
 */
import { parse } from 'yaml';
import type { DestructiveOverride, StackConfig } from '../../stacks/types.js';
import { fieldChanges } from './object-diff.js';
import { bytes } from '../validate/hygiene-rules.js';

export interface Finding {
  /** `Kind/name path`: what an override names. */
  change: string;
  message: string;
}

type Obj = { kind: string; metadata: { name: string }; spec?: Record<string, unknown> };
const get = (o: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);

/** Immutable once created (the API server rejects an update): the workload's identity and its volumes. */
const IMMUTABLE: Record<string, string[]> = {
  Deployment: ['spec.selector'],
  // A Job's pod template too: a Job whose template changes must get a new name (platform/workloads/migrations.ts).
  Job: ['spec.selector', 'spec.template'],
  StatefulSet: ['spec.selector', 'spec.serviceName', 'spec.podManagementPolicy', 'spec.volumeClaimTemplates'],
  PersistentVolumeClaim: ['spec.storageClassName', 'spec.accessModes', 'spec.volumeMode'],
};
/**
 * Argo CD deletes and re-creates an object synced with `Force=true,Replace=true` (platform/workloads/workload.ts,
 * `replaceOnNextSync`), so its immutable fields may change; `Replace=true` alone is a `kubectl replace`,
 * which the API server refuses like an apply.
 */
const forceReplaced = (o: Obj) => {
  const annotations = get(o, 'metadata.annotations') as Record<string, string> | undefined;
  const options = (annotations?.['argocd.argoproj.io/sync-options'] ?? '').split(',').map((x) => x.trim());
  return options.includes('Force=true') && options.includes('Replace=true');
};
/** Storage sizes that may only grow. */
const SIZES: Record<string, string[]> = {
  PersistentVolumeClaim: ['spec.resources.requests.storage'],
  Cluster: ['spec.storage.size', 'spec.walStorage.size'],
};
const CLASSES: Record<string, string[]> = { Cluster: ['spec.storage.storageClass', 'spec.walStorage.storageClass'] };

function compare(before: Obj, after: Obj): Finding[] {
  const id = `${after.kind}/${after.metadata.name}`;
  const findings: Finding[] = [];
  const add = (path: string, why: string) =>
    findings.push({ change: `${id} ${path}`, message: `${id}: ${path}: ${why}` });
  for (const path of SIZES[after.kind] ?? []) {
    const [b, a] = [get(before, path), get(after, path)];
    if (b !== undefined && a !== undefined && bytes(a as string)! < bytes(b as string)!)
      add(path, `${b} → ${a} shrinks storage (volumes never shrink; the data would have to move)`);
  }
  if (after.kind === 'StatefulSet') {
    const templates = (o: Obj) => (get(o, 'spec.volumeClaimTemplates') as Obj[] | undefined) ?? [];
    for (const t of templates(after)) {
      const old = templates(before).find((x) => x.metadata.name === t.metadata.name);
      const [b, a] = [get(old, 'spec.resources.requests.storage'), get(t, 'spec.resources.requests.storage')];
      if (old && bytes(a as string)! < bytes(b as string)!)
        add(`spec.volumeClaimTemplates[${t.metadata.name}]`, `${b} → ${a} shrinks storage`);
      if (old && get(old, 'spec.storageClassName') !== get(t, 'spec.storageClassName'))
        add(`spec.volumeClaimTemplates[${t.metadata.name}]`, 'changes the storage class');
    }
  }
  for (const path of CLASSES[after.kind] ?? [])
    if (get(before, path) !== get(after, path))
      add(path, `storage class ${get(before, path) ?? '(default)'} → ${get(after, path) ?? '(default)'}`);
  for (const path of forceReplaced(after) ? [] : (IMMUTABLE[after.kind] ?? []))
    if (
      fieldChanges(get(before, path), get(after, path)).length > 0 &&
      !findings.some((f) => f.change.startsWith(`${id} ${path}`))
    )
      add(path, 'is immutable: the API server refuses the update (the object must be replaced)');
  if (after.kind === 'Cluster') {
    const [b, a] = [get(before, 'spec.instances') as number, get(after, 'spec.instances') as number];
    if (a < b)
      add('spec.instances', `${b} → ${a} lowers the Postgres instances (less redundancy, a synchronous copy may go)`);
  }
  return findings;
}

const objects = (files: Map<string, string>, folder: string) => {
  const out = new Map<string, Obj>();
  for (const [path, text] of files) {
    if (!path.startsWith(`${folder}/`) || path.slice(folder.length + 1).includes('/') || !path.endsWith('.yaml'))
      continue;
    const o = parse(text) as Obj | null;
    if (o?.kind && o.metadata?.name) out.set(`${o.kind}/${o.metadata.name}`, o);
  }
  return out;
};

/** What a render of one stack's folder does destructively to the previous one. */
export function destructiveChanges(before: Map<string, string>, after: Map<string, string>, folder: string): Finding[] {
  const [b, a] = [objects(before, folder), objects(after, folder)];
  const findings = [...a].flatMap(([key, o]) => (b.has(key) ? compare(b.get(key)!, o) : []));
  for (const [key, o] of b)
    if (o.kind === 'PodDisruptionBudget' && !a.has(key))
      findings.push({
        change: `${key} (removed)`,
        message: `${key}: removed (nothing limits voluntary disruptions any more)`,
      });
  return findings;
}

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** The findings the stack's overrides do not allow; a malformed override is itself refused. */
export function refusedChanges(stack: Pick<StackConfig, 'name' | 'allowDestructive'>, findings: Finding[]): string[] {
  const valid = (o: DestructiveOverride) => DATE.test(o.date) && o.reason.trim().length > 0;
  const bad = stack.allowDestructive
    .filter((o) => !valid(o))
    .map((o) => `${stack.name}: override "${o.change}" needs a date (YYYY-MM-DD) and a reason`);
  const allowed = new Set(stack.allowDestructive.filter(valid).map((o) => o.change));
  return [
    ...bad,
    ...findings
      .filter((f) => !allowed.has(f.change))
      .map(
        (f) =>
          `${stack.name}: ${f.message} — to do it anyway, add { change: '${f.change}', date, reason } to allowDestructive in stacks/${stack.name}.ts`,
      ),
  ];
}
