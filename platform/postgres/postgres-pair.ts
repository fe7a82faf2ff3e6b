/**
 * The Postgres pair: a primary and a streaming replica (StatefulSets, generated L1 for their
 * volumeClaimTemplates), `postgres-rw` and `postgres-ro` Services, the configuration as data
 * (postgresql.conf, pg_hba.conf, bootstrap-primary.sh, bootstrap-replica.sh in one ConfigMap),
 * postgres_exporter beside each, a PDB over both, a PVC per pod.
 */
import * as kplus from 'cdk8s-plus-28';
import { dataVolumeClaim } from '../persistence.js';
import { Construct } from 'constructs';
import type { StackConfig } from '../../stacks/types.js';
import { disruptionBudget } from '../disruption-budget.js';
import { port, type Component } from '../graph.js';
import { componentLabels, componentSelector, commonLabels, serviceHost } from '../labels.js';
import { l1Resources, sidecarResources } from '../resources.js';
import { secrets } from '../secrets.js';
import { l1RestrictedContainer, l1RestrictedPod } from '../security.js';
import { postgresPrimaryBootstrap, postgresReplicaBootstrap, renderPgHba, renderPostgresqlConf } from './config.js';

const UID = 999; // the postgres user of the official Debian image
const DATA_MOUNT = '/var/lib/postgresql/data';
/** A subdirectory: the volume root may hold lost+found, and initdb/pg_basebackup want an empty directory. */
const PGDATA = `${DATA_MOUNT}/pgdata`;
const SOCKET_DIR = '/var/run/postgresql';
const CONFIG_DIR = '/config';

type Role = 'primary' | 'replica';

export class PostgresPair extends Construct {
  readonly readWriteService = 'postgres-rw';
  readonly readOnlyService = 'postgres-ro';
  readonly configMap: kplus.ConfigMap;

  constructor(scope: Construct, id: string, props: { stack: StackConfig }) {
    super(scope, id);
    const { stack } = props;
    const pg = stack.postgres;
    const postgresPort = port('postgres-primary', 'postgres');
    this.configMap = new kplus.ConfigMap(this, 'config', {
      metadata: { name: 'postgres', labels: commonLabels(stack) },
      data: {
        'postgresql.conf': renderPostgresqlConf({
          port: postgresPort,
          socketDir: SOCKET_DIR,
          maxConnections: pg.maxConnections,
          memoryLimitMiB: pg.resources.memoryMiB.limit,
        }),
        'pg_hba.conf': renderPgHba(),
        'bootstrap-primary.sh': postgresPrimaryBootstrap,
        'bootstrap-replica.sh': postgresReplicaBootstrap,
      },
    });
    this.instance(stack, 'primary', this.readWriteService);
    this.instance(stack, 'replica', this.readOnlyService);
    disruptionBudget(this, {
      name: 'postgres',
      labels: commonLabels(stack),
      selector: { 'hsc-jit.halilit.example/store': 'postgres' },
    });
  }

  private instance(stack: StackConfig, role: Role, serviceName: string): void {
    const component: Component = role === 'primary' ? 'postgres-primary' : 'postgres-replica';
    const labels = { ...componentLabels(stack, component), 'hsc-jit.halilit.example/store': 'postgres' };
    const selector = componentSelector(component);
    const [postgresPort, metricsPort] = [port(component, 'postgres'), port(component, 'metrics')];
    const scope = new Construct(this, role);
    const secret = (key: string) => ({ valueFrom: { secretKeyRef: { name: secrets.postgres.name, key } } });
    const env = [
      { name: 'PGDATA', value: PGDATA },
      { name: 'CONFIG_DIR', value: CONFIG_DIR },
      { name: 'REPLICATION_PASSWORD', ...secret(secrets.postgres.keys.replication) },
      ...(role === 'primary'
        ? [
            { name: 'POSTGRES_PASSWORD', ...secret(secrets.postgres.keys.superuser) },
            { name: 'APP_USER', value: stack.postgres.user },
            { name: 'APP_PASSWORD', ...secret(secrets.postgres.keys.app) },
            { name: 'APP_DATABASE', value: stack.postgres.database },
          ]
        : [
            { name: 'PRIMARY_HOST', value: serviceHost(stack, this.readWriteService) },
            { name: 'PRIMARY_PORT', value: String(postgresPort) },
          ]),
    ];
    const ready = {
      exec: { command: ['pg_isready', '-q', '-h', SOCKET_DIR, '-p', String(postgresPort)] },
      timeoutSeconds: 3,
    };
    const base = { imagePullPolicy: 'IfNotPresent', securityContext: l1RestrictedContainer } as const;
    const intOrString = kplus.k8s.IntOrString.fromNumber;

    new kplus.k8s.KubeService(scope, 'service', {
      metadata: { name: serviceName, labels },
      spec: {
        selector,
        ports: [
          { name: 'postgres', port: postgresPort, targetPort: intOrString(postgresPort) },
          { name: 'metrics', port: metricsPort, targetPort: intOrString(metricsPort) },
        ],
      },
    });
    new kplus.k8s.KubeStatefulSet(scope, 'statefulset', {
      metadata: { name: component, labels },
      spec: {
        serviceName,
        replicas: 1,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            securityContext: l1RestrictedPod(UID),
            // Postgres' own fast shutdown (SIGTERM → smart, then the kubelet's SIGKILL) needs time to checkpoint.
            terminationGracePeriodSeconds: 60,
            affinity: {
              podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [
                  {
                    topologyKey: 'kubernetes.io/hostname',
                    labelSelector: { matchLabels: { 'hsc-jit.halilit.example/store': 'postgres' } },
                  },
                ],
              },
            },
            containers: [
              {
                ...base,
                name: 'postgres',
                image: stack.images.postgres,
                command: ['sh', `${CONFIG_DIR}/bootstrap-${role}.sh`],
                ports: [{ name: 'postgres', containerPort: postgresPort }],
                env,
                resources: l1Resources(stack.postgres.resources),
                // First start clones or initialises the cluster before postgres listens: allow up to an hour.
                startupProbe: { ...ready, periodSeconds: 10, failureThreshold: 360 },
                livenessProbe: { ...ready, periodSeconds: 10, failureThreshold: 6 },
                readinessProbe: { ...ready, periodSeconds: 5, failureThreshold: 2 },
                volumeMounts: [
                  { name: 'data', mountPath: DATA_MOUNT },
                  { name: 'socket', mountPath: SOCKET_DIR },
                  { name: 'tmp', mountPath: '/tmp' },
                  { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
                ],
              },
              {
                ...base,
                name: 'exporter',
                image: stack.images.postgresExporter,
                ports: [{ name: 'metrics', containerPort: metricsPort }],
                env: [
                  { name: 'DATA_SOURCE_URI', value: `127.0.0.1:${postgresPort}/postgres?sslmode=disable` },
                  { name: 'DATA_SOURCE_USER', value: 'postgres' },
                  { name: 'DATA_SOURCE_PASS', ...secret(secrets.postgres.keys.superuser) },
                ],
                resources: l1Resources(sidecarResources),
                startupProbe: {
                  httpGet: { path: '/', port: intOrString(metricsPort) },
                  periodSeconds: 2,
                  failureThreshold: 15,
                },
                livenessProbe: { httpGet: { path: '/', port: intOrString(metricsPort) }, periodSeconds: 15 },
                readinessProbe: { httpGet: { path: '/', port: intOrString(metricsPort) }, periodSeconds: 15 },
              },
            ],
            volumes: [
              { name: 'socket', emptyDir: {} },
              { name: 'tmp', emptyDir: {} },
              { name: 'config', configMap: { name: this.configMap.name, defaultMode: 0o444 } },
            ],
          },
        },
        volumeClaimTemplates: [dataVolumeClaim(stack.storageClass, stack.postgres.storageGiB)],
      },
    });
  }
}
