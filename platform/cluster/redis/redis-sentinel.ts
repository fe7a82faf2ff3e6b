/**
 * Redis Sentinel, hardened as Bitnami's chart is: N data nodes (1 master + replicas, default 3), a
 * sentinel beside each (quorum: a majority), password-protected sentinels, hard anti-affinity (never two
 * on one node) and a zone spread, a PDB, persistence on a PVC per node, a preStop that hands the master
 * role over before a rolling restart stops it, probes that accept LOADING and MASTERDOWN as alive,
 * redis_exporter for the data node and another for the sentinel (only that one emits redis_sentinel_*),
 * and the configuration as data: redis.conf, sentinel.conf and the scripts in a ConfigMap. The StatefulSet is the generated L1: cdk8s-plus-28's StatefulSet has no volumeClaimTemplates.
 */
import * as kplus from 'cdk8s-plus-28';
import { dataVolumeClaim } from '../../k8s/persistence.js';
import { Construct } from 'constructs';
import type { ImageRef, StackConfig } from '../../../stacks/types.js';
import { disruptionBudget } from '../../k8s/disruption-budget.js';
import { port } from '../graph.js';
import { defaultEmptyDirSizeLimit, imagePullPolicy, priorityClassName, tierOfKind } from '../../k8s/hygiene.js';
import { componentLabels, componentSelector, serviceHost, type StackIdentity } from '../../k8s/labels.js';
import { l1Resources, sidecarResources } from '../../k8s/resources.js';
import { maxMemoryFor, redisMemoryModel } from './memory.js';
import { secrets } from '../../k8s/secrets.js';
import { l1RestrictedContainer, l1RestrictedPod } from '../../k8s/security.js';
import {
  majority,
  redisBootstrapScript,
  redisHealthScript,
  redisPreStopScript,
  renderRedisConf,
  renderSentinelConf,
} from './config.js';

// The official image's redis user is 999, but redis-server needs no passwd entry: a uid above the host's users.
const UID = 10999;
const DATA_DIR = '/data';
const CONF_DIR = '/conf';
const TEMPLATE_DIR = '/config';
/** How long a stopping master's preStop waits for a good moment to fail over (one sentinel INFO cycle)... */
const PHASE_SECONDS = 21;
/** ...and then for the sentinels to name its successor. */
const HANDOVER_SECONDS = 20;

export interface RedisSentinelProps {
  /** The stack's name and namespace: labels, the pods' DNS names, the priority class. */
  readonly stack: StackIdentity;
  /** Data nodes, their sizing and storage, the sentinels' failover timing. */
  readonly redis: StackConfig['redis'];
  /** redis-server, for the data nodes and the sentinels. */
  readonly image: ImageRef;
  /** redis_exporter, beside each data node and each sentinel. */
  readonly exporterImage: ImageRef;
  /**
   * The StorageClass of each node's data volume.
   * @default - the cluster's default StorageClass
   */
  readonly storageClass?: string | undefined;
}

export class RedisSentinel extends Construct {
  readonly name = 'redis';
  readonly headlessServiceName = 'redis-headless';
  readonly masterName: string;
  readonly quorum: number;
  /** Every sentinel's host:port, in pod order (the app's REDIS_SENTINELS). */
  readonly sentinels: string[];
  readonly configMap: kplus.ConfigMap;

  constructor(scope: Construct, id: string, props: RedisSentinelProps) {
    super(scope, id);
    const { stack } = props;
    const r = props.redis;
    const labels = componentLabels(stack, 'redis');
    const selector = componentSelector('redis');
    const [redisPort, sentinelPort, metricsPort, sentinelMetricsPort] = [
      port('redis', 'redis'),
      port('redis', 'sentinel'),
      port('redis', 'metrics'),
      port('redis', 'sentinel-metrics'),
    ];
    const podHost = (ordinal: number) => serviceHost(stack, `${this.name}-${ordinal}.${this.headlessServiceName}`);
    this.masterName = r.masterName;
    this.quorum = majority(r.nodes);
    this.sentinels = Array.from({ length: r.nodes }, (_, i) => `${podHost(i)}:${sentinelPort}`);

    const options = {
      masterName: r.masterName,
      seedMasterHost: podHost(0),
      redisPort,
      sentinelPort,
      dataDir: DATA_DIR,
      // Headroom under the container limit for the fork of a snapshot or full sync, replica buffers and overhead.
      maxMemoryMiB: maxMemoryFor(r.resources.memoryMiB.limit, r.nodes),
      replicaBuffer: {
        hardMiB: redisMemoryModel.replicaBufferHardMiB,
        softMiB: redisMemoryModel.replicaBufferSoftMiB,
        seconds: redisMemoryModel.replicaBufferSoftSeconds,
      },
      replBacklogMiB: redisMemoryModel.replBacklogMiB,
      quorum: this.quorum,
      downAfterMs: r.downAfterMs,
      failoverTimeoutMs: r.failoverTimeoutMs,
    };
    this.configMap = new kplus.ConfigMap(this, 'config', {
      metadata: { name: 'redis', labels },
      data: {
        'redis.conf': renderRedisConf(options),
        'sentinel.conf': renderSentinelConf(options),
        'bootstrap.sh': redisBootstrapScript,
        'health.sh': redisHealthScript,
        'prestop.sh': redisPreStopScript,
      },
    });

    new kplus.k8s.KubeService(this, 'headless', {
      metadata: { name: this.headlessServiceName, labels },
      spec: {
        clusterIp: 'None',
        // Pods must resolve each other before they are ready: bootstrap asks the sentinels by name.
        publishNotReadyAddresses: true,
        selector,
        ports: [
          { name: 'redis', port: redisPort, targetPort: kplus.k8s.IntOrString.fromNumber(redisPort) },
          { name: 'sentinel', port: sentinelPort, targetPort: kplus.k8s.IntOrString.fromNumber(sentinelPort) },
          { name: 'metrics', port: metricsPort, targetPort: kplus.k8s.IntOrString.fromNumber(metricsPort) },
          {
            name: 'sentinel-metrics',
            port: sentinelMetricsPort,
            targetPort: kplus.k8s.IntOrString.fromNumber(sentinelMetricsPort),
          },
        ],
      },
    });

    const fromSecret = (name: string, key: string) => ({
      name,
      valueFrom: { secretKeyRef: { name: secrets.redis.name, key } },
    });
    const password = fromSecret('REDIS_PASSWORD', secrets.redis.keys.password);
    const sentinelPassword = fromSecret('REDIS_SENTINEL_PASSWORD', secrets.redis.keys.sentinelPassword);
    const mounts = {
      data: { name: 'data', mountPath: DATA_DIR },
      conf: { name: 'conf', mountPath: CONF_DIR },
      template: { name: 'template', mountPath: TEMPLATE_DIR, readOnly: true },
    };
    // redis-cli reads the password from REDISCLI_AUTH: it never appears on a command line.
    const health = (p: number, mode: 'live' | 'ready', periodSeconds: number, failureThreshold: number) => ({
      exec: { command: ['sh', `${TEMPLATE_DIR}/health.sh`, String(p), mode] },
      periodSeconds,
      failureThreshold,
      timeoutSeconds: 5,
    });
    // Every pin carries its digest: a node never needs to ask the registry again (hygiene.ts).
    const base = { imagePullPolicy, securityContext: l1RestrictedContainer } as const;
    const exporter = (name: string, portName: string, target: number, listen: number, auth: typeof password) => {
      const httpProbe = (periodSeconds: number, failureThreshold: number) => ({
        httpGet: { path: '/health', port: kplus.k8s.IntOrString.fromNumber(listen) },
        periodSeconds,
        failureThreshold,
      });
      return {
        ...base,
        name,
        image: props.exporterImage,
        ports: [{ name: portName, containerPort: listen }],
        env: [
          { name: 'REDIS_ADDR', value: `redis://127.0.0.1:${target}` },
          { name: 'REDIS_EXPORTER_WEB_LISTEN_ADDRESS', value: `:${listen}` },
          auth,
        ],
        resources: l1Resources(sidecarResources),
        startupProbe: httpProbe(2, 15),
        livenessProbe: httpProbe(15, 3),
        readinessProbe: httpProbe(15, 3),
      };
    };

    // Its own account, no API token: nothing in these pods calls the Kubernetes API (hygiene.ts).
    const account = new kplus.k8s.KubeServiceAccount(this, 'account', {
      metadata: { name: this.name, labels },
      automountServiceAccountToken: false,
    });
    new kplus.k8s.KubeStatefulSet(this, 'statefulset', {
      metadata: { name: this.name, labels },
      spec: {
        serviceName: this.headlessServiceName,
        replicas: r.nodes,
        podManagementPolicy: 'Parallel',
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: account.name,
            automountServiceAccountToken: false,
            priorityClassName: priorityClassName(stack, tierOfKind.StatefulSet!),
            securityContext: l1RestrictedPod(UID),
            // The master's handover, then redis-server's own shutdown (a final AOF fsync).
            terminationGracePeriodSeconds: PHASE_SECONDS + HANDOVER_SECONDS + 15,
            affinity: {
              podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [
                  { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: selector } },
                ],
              },
            },
            // Hosts are a hard rule; zones a preference, so a cluster with fewer zones than nodes still schedules.
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: 'topology.kubernetes.io/zone',
                whenUnsatisfiable: 'ScheduleAnyway',
                labelSelector: { matchLabels: selector },
              },
            ],
            initContainers: [
              {
                ...base,
                name: 'bootstrap',
                image: props.image,
                command: ['sh', `${TEMPLATE_DIR}/bootstrap.sh`],
                env: [
                  { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                  { name: 'SELF_HOST', value: serviceHost(stack, `$(POD_NAME).${this.headlessServiceName}`) },
                  { name: 'SENTINEL_HOSTS', value: this.sentinels.join(',') },
                  { name: 'TEMPLATE_DIR', value: TEMPLATE_DIR },
                  { name: 'CONF_DIR', value: CONF_DIR },
                  password,
                  sentinelPassword,
                ],
                resources: l1Resources(sidecarResources),
                volumeMounts: [mounts.conf, mounts.template],
              },
            ],
            containers: [
              {
                ...base,
                name: 'redis',
                image: props.image,
                command: ['redis-server', `${CONF_DIR}/redis.conf`],
                ports: [{ name: 'redis', containerPort: redisPort }],
                env: [
                  password,
                  sentinelPassword,
                  { name: 'REDISCLI_AUTH', value: '$(REDIS_PASSWORD)' },
                  { name: 'TEMPLATE_DIR', value: TEMPLATE_DIR },
                  { name: 'SENTINEL_HOSTS', value: this.sentinels.join(',') },
                  { name: 'PHASE_SECONDS', value: String(PHASE_SECONDS) },
                  { name: 'HANDOVER_SECONDS', value: String(HANDOVER_SECONDS) },
                ],
                resources: l1Resources(r.resources),
                // Loading a large append-only file can take minutes: startup allows it, liveness does not restart it meanwhile.
                startupProbe: {
                  tcpSocket: { port: kplus.k8s.IntOrString.fromNumber(redisPort) },
                  periodSeconds: 5,
                  failureThreshold: 60,
                },
                livenessProbe: health(redisPort, 'live', 10, 3),
                readinessProbe: health(redisPort, 'ready', 5, 2),
                lifecycle: { preStop: { exec: { command: ['sh', `${TEMPLATE_DIR}/prestop.sh`] } } },
                volumeMounts: [mounts.data, mounts.conf, mounts.template],
              },
              {
                ...base,
                name: 'sentinel',
                image: props.image,
                command: ['redis-server', `${CONF_DIR}/sentinel.conf`, '--sentinel'],
                ports: [{ name: 'sentinel', containerPort: sentinelPort }],
                env: [fromSecret('REDISCLI_AUTH', secrets.redis.keys.sentinelPassword)],
                resources: l1Resources(sidecarResources),
                startupProbe: {
                  tcpSocket: { port: kplus.k8s.IntOrString.fromNumber(sentinelPort) },
                  periodSeconds: 2,
                  failureThreshold: 30,
                },
                livenessProbe: health(sentinelPort, 'live', 10, 3),
                readinessProbe: health(sentinelPort, 'ready', 5, 2),
                volumeMounts: [mounts.data, mounts.conf, mounts.template],
              },
              exporter('exporter', 'metrics', redisPort, metricsPort, password),
              exporter('sentinel-exporter', 'sentinel-metrics', sentinelPort, sentinelMetricsPort, {
                ...sentinelPassword,
                name: 'REDIS_PASSWORD',
              }),
            ],
            volumes: [
              { name: 'conf', emptyDir: { sizeLimit: kplus.k8s.Quantity.fromString(defaultEmptyDirSizeLimit) } },
              { name: 'template', configMap: { name: this.configMap.name, defaultMode: 0o444 } },
            ],
          },
        },
        volumeClaimTemplates: [dataVolumeClaim(props.storageClass, r.storageGiB)],
      },
    });
    disruptionBudget(this, { name: this.name, labels, selector });
  }
}
