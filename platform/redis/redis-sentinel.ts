/**
 * Redis Sentinel: N data nodes (1 master + replicas, default 3), a sentinel beside each (quorum: a
 * majority), hard anti-affinity (never two on one node), a PDB, persistence on a PVC per node,
 * redis_exporter, and the configuration as data: redis.conf, sentinel.conf and bootstrap.sh in a
 * ConfigMap. The StatefulSet is the generated L1: cdk8s-plus-28's StatefulSet has no volumeClaimTemplates.
 */
import * as kplus from 'cdk8s-plus-28';
import { dataVolumeClaim } from '../persistence.js';
import { Construct } from 'constructs';
import type { StackConfig } from '../../stacks/types.js';
import { disruptionBudget } from '../disruption-budget.js';
import { port } from '../graph.js';
import { componentLabels, componentSelector, serviceHost } from '../labels.js';
import { l1Resources, memoryShareMiB, sidecarResources } from '../resources.js';
import { secrets } from '../secrets.js';
import { l1RestrictedContainer, l1RestrictedPod } from '../security.js';
import { majority, redisBootstrapScript, renderRedisConf, renderSentinelConf } from './config.js';

const UID = 999; // the redis user of the official image
const DATA_DIR = '/data';
const CONF_DIR = '/conf';
const TEMPLATE_DIR = '/config';

export interface RedisSentinelProps {
  stack: StackConfig;
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
    const r = stack.redis;
    const labels = componentLabels(stack, 'redis');
    const selector = componentSelector('redis');
    const [redisPort, sentinelPort, metricsPort] = [
      port('redis', 'redis'),
      port('redis', 'sentinel'),
      port('redis', 'metrics'),
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
      // Headroom under the container limit for replication buffers and the fork of a snapshot.
      maxMemoryMiB: memoryShareMiB(r.resources, 0.7),
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
        ],
      },
    });

    const password = {
      name: 'REDIS_PASSWORD',
      valueFrom: { secretKeyRef: { name: secrets.redis.name, key: secrets.redis.keys.password } },
    };
    const mounts = {
      data: { name: 'data', mountPath: DATA_DIR },
      conf: { name: 'conf', mountPath: CONF_DIR },
      template: { name: 'template', mountPath: TEMPLATE_DIR, readOnly: true },
    };
    const cli = (p: number) => [
      'sh',
      '-c',
      `redis-cli -p ${p} --no-auth-warning -a "$REDIS_PASSWORD" ping | grep -q PONG`,
    ];
    const exec = (command: string[], periodSeconds: number, failureThreshold: number) => ({
      exec: { command },
      periodSeconds,
      failureThreshold,
      timeoutSeconds: 3,
    });
    const base = { imagePullPolicy: 'IfNotPresent', securityContext: l1RestrictedContainer } as const;

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
            automountServiceAccountToken: false,
            securityContext: l1RestrictedPod(UID),
            terminationGracePeriodSeconds: 30,
            affinity: {
              podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [
                  { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: selector } },
                ],
              },
            },
            initContainers: [
              {
                ...base,
                name: 'bootstrap',
                image: stack.images.redis,
                command: ['sh', `${TEMPLATE_DIR}/bootstrap.sh`],
                env: [
                  { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                  { name: 'SELF_HOST', value: serviceHost(stack, `$(POD_NAME).${this.headlessServiceName}`) },
                  { name: 'SENTINEL_HOSTS', value: this.sentinels.join(',') },
                  { name: 'TEMPLATE_DIR', value: TEMPLATE_DIR },
                  { name: 'CONF_DIR', value: CONF_DIR },
                  password,
                ],
                resources: l1Resources(sidecarResources),
                volumeMounts: [mounts.conf, mounts.template],
              },
            ],
            containers: [
              {
                ...base,
                name: 'redis',
                image: stack.images.redis,
                command: ['redis-server', `${CONF_DIR}/redis.conf`],
                ports: [{ name: 'redis', containerPort: redisPort }],
                env: [password],
                resources: l1Resources(r.resources),
                // Loading a large append-only file can take minutes: startup allows it, liveness does not restart it meanwhile.
                startupProbe: {
                  tcpSocket: { port: kplus.k8s.IntOrString.fromNumber(redisPort) },
                  periodSeconds: 5,
                  failureThreshold: 60,
                },
                livenessProbe: exec(cli(redisPort), 10, 3),
                readinessProbe: exec(cli(redisPort), 5, 2),
                volumeMounts: [mounts.data, mounts.conf],
              },
              {
                ...base,
                name: 'sentinel',
                image: stack.images.redis,
                command: ['redis-server', `${CONF_DIR}/sentinel.conf`, '--sentinel'],
                ports: [{ name: 'sentinel', containerPort: sentinelPort }],
                env: [password],
                resources: l1Resources(sidecarResources),
                startupProbe: {
                  tcpSocket: { port: kplus.k8s.IntOrString.fromNumber(sentinelPort) },
                  periodSeconds: 2,
                  failureThreshold: 30,
                },
                livenessProbe: exec(['redis-cli', '-p', String(sentinelPort), 'ping'], 10, 3),
                readinessProbe: exec(['redis-cli', '-p', String(sentinelPort), 'ping'], 5, 2),
                volumeMounts: [mounts.data, mounts.conf],
              },
              {
                ...base,
                name: 'exporter',
                image: stack.images.redisExporter,
                ports: [{ name: 'metrics', containerPort: metricsPort }],
                env: [{ name: 'REDIS_ADDR', value: `redis://127.0.0.1:${redisPort}` }, password],
                resources: l1Resources(sidecarResources),
                startupProbe: {
                  httpGet: { path: '/health', port: kplus.k8s.IntOrString.fromNumber(metricsPort) },
                  periodSeconds: 2,
                  failureThreshold: 15,
                },
                livenessProbe: {
                  httpGet: { path: '/health', port: kplus.k8s.IntOrString.fromNumber(metricsPort) },
                  periodSeconds: 15,
                },
                readinessProbe: {
                  httpGet: { path: '/health', port: kplus.k8s.IntOrString.fromNumber(metricsPort) },
                  periodSeconds: 15,
                },
              },
            ],
            volumes: [
              { name: 'conf', emptyDir: {} },
              { name: 'template', configMap: { name: this.configMap.name, defaultMode: 0o444 } },
            ],
          },
        },
        volumeClaimTemplates: [dataVolumeClaim(stack.storageClass, r.storageGiB)],
      },
    });
    disruptionBudget(this, { name: this.name, labels, selector });
  }
}
