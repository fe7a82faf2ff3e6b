/**
 * The project's cross-object rules as CrossGuard validations (@pulumi/policy), on the resources a
 * `pulumi preview`/`up` would create: no privileged pods, a PodDisruptionBudget for every replicated
 * Deployment, no Ingress route to the admin API, requests and limits on every container. Pure functions
 * of the resources, so policy.test.ts runs them on the real synthesized objects without the Pulumi CLI.
 */
import type { PolicyResource } from '@pulumi/policy';

// biome-ignore lint/suspicious/noExplicitAny: resource inputs as the engine hands them over
type Props = Record<string, any>;
type Resource = Pick<PolicyResource, 'type' | 'props' | 'name'>;
/** @pulumi/policy's reportViolation, as the validations use it. */
export type Report = (message: string) => void;

const POD_TEMPLATES: Record<string, (p: Props) => Props | undefined> = {
  'kubernetes:apps/v1:Deployment': (p) => p.spec?.template?.spec,
  'kubernetes:apps/v1:StatefulSet': (p) => p.spec?.template?.spec,
  'kubernetes:apps/v1:DaemonSet': (p) => p.spec?.template?.spec,
  'kubernetes:batch/v1:Job': (p) => p.spec?.template?.spec,
  'kubernetes:batch/v1:CronJob': (p) => p.spec?.jobTemplate?.spec?.template?.spec,
};

function containers(pod: Props): Props[] {
  return [...(pod.initContainers ?? []), ...(pod.containers ?? [])];
}

/** The admin API's path prefix (app/edges/gateway: DELETE /api/admin/sessions/:id). */
export const ADMIN_PATH = '/api/admin';

export function noPrivilegedPods(type: string, props: Props, report: Report): void {
  const pod = POD_TEMPLATES[type]?.(props);
  if (!pod) return;
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) report('shares the host network, PID or IPC namespace');
  for (const c of containers(pod)) {
    const sc = c.securityContext ?? {};
    if (sc.privileged === true) report(`container ${c.name}: privileged`);
    if (sc.allowPrivilegeEscalation !== false) report(`container ${c.name}: privilege escalation not disabled`);
    if ((sc.capabilities?.add ?? []).length > 0)
      report(`container ${c.name}: adds capabilities ${sc.capabilities.add.join(', ')}`);
    if ((sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot) !== true) report(`container ${c.name}: may run as root`);
  }
}

export function resourcesSet(type: string, props: Props, report: Report): void {
  const pod = POD_TEMPLATES[type]?.(props);
  if (!pod) return;
  for (const c of containers(pod))
    for (const kind of ['requests', 'limits'] as const)
      for (const r of ['cpu', 'memory'])
        if (c.resources?.[kind]?.[r] === undefined) report(`container ${c.name}: no ${r} ${kind}`);
}

const matches = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

/** Every Deployment that runs two or more pods (replicas, or an HPA minimum) has a PDB selecting them. */
export function deploymentsHavePdb(resources: Resource[], report: Report): void {
  const pdbs = resources.filter((r) => r.type === 'kubernetes:policy/v1:PodDisruptionBudget');
  const hpas = resources.filter((r) => r.type.endsWith(':HorizontalPodAutoscaler'));
  for (const d of resources.filter((r) => r.type === 'kubernetes:apps/v1:Deployment')) {
    const hpa = hpas.find(
      (h) =>
        h.props.spec?.scaleTargetRef?.kind === 'Deployment' &&
        h.props.spec?.scaleTargetRef?.name === d.props.metadata?.name,
    );
    const minimum = hpa ? (hpa.props.spec.minReplicas ?? 1) : (d.props.spec?.replicas ?? 1);
    if (minimum < 2) continue;
    const labels = d.props.spec?.template?.metadata?.labels;
    if (!pdbs.some((p) => matches(p.props.spec?.selector?.matchLabels, labels)))
      report(`Deployment ${d.props.metadata?.name} runs ${minimum}+ pods without a PodDisruptionBudget`);
  }
}

/** No Ingress path reaches the admin API: a Prefix path that is a prefix of /api/admin, or one under it. */
export function noPublicAdminRoute(resources: Resource[], report: Report): void {
  for (const ingress of resources.filter((r) => r.type === 'kubernetes:networking.k8s.io/v1:Ingress'))
    for (const rule of ingress.props.spec?.rules ?? [])
      for (const path of rule.http?.paths ?? []) {
        const p: string = path.path ?? '/';
        const prefix = p.endsWith('/') ? p : `${p}/`;
        const covers = path.pathType !== 'Exact' && `${ADMIN_PATH}/`.startsWith(prefix);
        if (covers || p.startsWith(ADMIN_PATH)) {
          const backend = path.backend?.service?.name;
          // `/` to the web UI is fine: only a backend that serves the API can answer there.
          if (p === '/' && backend === 'web') continue;
          report(
            `Ingress ${ingress.props.metadata?.name}: path "${p}" (${path.pathType}) on ${rule.host} routes ${ADMIN_PATH} to ${backend}`,
          );
        }
      }
}
