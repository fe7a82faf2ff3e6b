/**
 * The workload hygiene rules (the values of platform/k8s/hygiene.ts, which every workload construct states), as kube-score and Polaris check them:
 * pull policy matching the pin, a dedicated ServiceAccount with no API token unless it says why,
 * ephemeral-storage on every container and a sizeLimit on every emptyDir (that the containers' limits
 * cover), a priority class per tier (data > app > batch), and UIDs >= 10000 unless the image fixes one.
 * Each is broken in platform/validate/hygiene.test.ts.
 */
import { API_ACCESS_ANNOTATION, imagePullPolicy, tierOfKind } from '../k8s/hygiene.js';
import { allContainers, type Obj, workloads } from './objects.js';
import type { Rule } from './rule.js';
import { objectId, type Violation } from './violation.js';

export const MIN_UID = 10_000;

/**
 * Pods CloudNativePG renders from a Cluster or Pooler are the operator's to harden: it gives each Cluster a
 * ServiceAccount of its own whose token the instance manager needs (it reads and updates the Cluster), sizes
 * their storage itself, and the image fixes the user (postgres, uid 26). The service-account,
 * ephemeral-storage and uid rules therefore look at the pods we template; pull policy and priority class
 * are fields of the Cluster and still checked there.
 */
const templated = (objects: Obj[]) => workloads(objects).filter((w) => !w.operator);

const v = (rule: string, object: Obj, message: string): Violation => ({ rule, object: objectId(object), message });

const UNITS: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/** A Kubernetes quantity in bytes (undefined when it is not one). */
export function bytes(quantity: string | number | undefined): number | undefined {
  if (quantity === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)(k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(String(quantity));
  return match ? Number(match[1]) * UNITS[match[2] ?? '']! : undefined;
}

export const pullPolicyMatchesPin: Rule = ({ objects }) =>
  workloads(objects).flatMap((w) =>
    allContainers(w.podSpec)
      // An operator-rendered pod without an image of ours runs the operator's default, pulled as it decides.
      .filter(({ container }) => container.image !== undefined)
      .filter(({ container }) => container.imagePullPolicy !== imagePullPolicy)
      .map(({ container }) =>
        v(
          'pull-policy',
          w.object,
          `container ${container.name}: imagePullPolicy ${container.imagePullPolicy ?? '(unset)'} for "${container.image}", expected ${imagePullPolicy}`,
        ),
      ),
  );

export const dedicatedServiceAccount: Rule = ({ objects }) => {
  const all = templated(objects);
  return all.flatMap((w) => {
    const name: string | undefined = w.podSpec.serviceAccountName;
    if (name === undefined || name === 'default')
      return [v('service-account', w.object, 'runs as the namespace’s default ServiceAccount, not its own')];
    const account = objects.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === name);
    const out: Violation[] = [];
    if (!account) out.push(v('service-account', w.object, `names ServiceAccount ${name}, which is not rendered`));
    const sharing = all.filter((o) => o !== w && o.podSpec.serviceAccountName === name);
    if (sharing.length > 0)
      out.push(
        v(
          'service-account',
          w.object,
          `shares ServiceAccount ${name} with ${sharing.map((s) => objectId(s.object)).join(', ')}`,
        ),
      );
    const mounted = w.podSpec.automountServiceAccountToken ?? account?.automountServiceAccountToken ?? true;
    if (
      mounted &&
      !(account?.metadata as { annotations?: Record<string, string> } | undefined)?.annotations?.[API_ACCESS_ANNOTATION]
    )
      out.push(
        v(
          'service-account',
          w.object,
          `mounts an API token; set automountServiceAccountToken: false, or say why on ServiceAccount ${name} (${API_ACCESS_ANNOTATION})`,
        ),
      );
    return out;
  });
};

export const ephemeralStorage: Rule = ({ objects }) =>
  templated(objects).flatMap((w) => {
    const out: Violation[] = [];
    for (const { container } of allContainers(w.podSpec))
      for (const kind of ['requests', 'limits'] as const)
        if (bytes(container.resources?.[kind]?.['ephemeral-storage']) === undefined)
          out.push(v('ephemeral-storage', w.object, `container ${container.name}: no ephemeral-storage ${kind}`));
    let emptyDirBytes = 0;
    for (const volume of w.podSpec.volumes ?? []) {
      if (!volume.emptyDir) continue;
      const size = bytes(volume.emptyDir.sizeLimit);
      if (size === undefined) out.push(v('ephemeral-storage', w.object, `emptyDir ${volume.name}: no sizeLimit`));
      else if (volume.emptyDir.medium !== 'Memory') emptyDirBytes += size;
    }
    // The kubelet evicts a pod whose emptyDirs and logs exceed the sum of its (regular) containers' limits.
    const limitBytes = allContainers(w.podSpec)
      .filter(({ init }) => !init)
      .reduce((sum, { container }) => sum + (bytes(container.resources?.limits?.['ephemeral-storage']) ?? 0), 0);
    if (limitBytes > 0 && emptyDirBytes > limitBytes)
      out.push(
        v(
          'ephemeral-storage',
          w.object,
          `emptyDirs may hold ${emptyDirBytes} bytes, more than the containers' ephemeral-storage limits (${limitBytes}): the pod would be evicted before they fill`,
        ),
      );
    return out;
  });

export const priorityTiers: Rule = ({ objects }) => {
  const out: Violation[] = [];
  const placed = workloads(objects).flatMap((w) => {
    const name: string | undefined = w.podSpec.priorityClassName;
    const priorityClass = objects.find((o) => o.kind === 'PriorityClass' && o.metadata.name === name);
    if (!name) out.push(v('priority-class', w.object, 'no priorityClassName'));
    else if (!priorityClass) out.push(v('priority-class', w.object, `priority class ${name} is not rendered`));
    return priorityClass ? [{ w, tier: tierOfKind[w.object.kind]!, value: Number(priorityClass.value) }] : [];
  });
  const order = ['data', 'app', 'batch'] as const;
  for (const [rank, tier] of order.entries()) {
    for (const lower of order.slice(rank + 1)) {
      const floor = Math.min(...placed.filter((p) => p.tier === tier).map((p) => p.value));
      for (const p of placed.filter((q) => q.tier === lower && q.value >= floor))
        out.push(
          v('priority-class', p.w.object, `${lower} tier priority ${p.value} is not below the ${tier} tier's ${floor}`),
        );
    }
  }
  return out;
};

export const highUid: Rule = ({ objects }) =>
  templated(objects).flatMap((w) =>
    allContainers(w.podSpec).flatMap(({ container }) => {
      const uid = container.securityContext?.runAsUser ?? w.podSpec.securityContext?.runAsUser;
      if (typeof uid === 'number' && uid >= MIN_UID) return [];
      return [
        v(
          'uid-range',
          w.object,
          `container ${container.name}: runs as uid ${uid ?? '(image default)'}, below ${MIN_UID} (host users live there); pick a uid >= ${MIN_UID} or record why the image fixes it`,
        ),
      ];
    }),
  );

export const hygieneRules: Record<string, Rule> = {
  pullPolicyMatchesPin,
  dedicatedServiceAccount,
  ephemeralStorage,
  priorityTiers,
  highUid,
};
