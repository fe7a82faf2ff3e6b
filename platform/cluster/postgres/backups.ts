/**
 * Backups with the Barman Cloud Plugin: the ObjectStore (S3-compatible bucket, credentials from the
 * Secret the Pulumi program fills from config secrets, retention) that the Cluster archives every WAL
 * segment to, and a daily ScheduledBackup of a base backup. Together they allow point-in-time recovery to
 * any moment inside the retention window (platform/cluster/postgres/cluster.ts, `postgres.recovery`).
 */
import { Construct } from 'constructs';
import type { BackupConfig } from '../../../stacks/types.js';
import {
  ObjectStore,
  ObjectStoreSpecConfigurationDataCompression,
  ObjectStoreSpecConfigurationWalCompression,
  ObjectStoreSpecInstanceSidecarConfigurationResourcesLimits as Limits,
  ObjectStoreSpecInstanceSidecarConfigurationResourcesRequests as Requests,
} from '../../imports/barmancloud-barmancloud.cnpg.io.js';
import {
  ScheduledBackup,
  ScheduledBackupSpecBackupOwnerReference,
  ScheduledBackupSpecMethod,
} from '../../imports/cnpgbackup-postgresql.cnpg.io.js';
import { commonLabels, componentLabels, type StackIdentity } from '../../k8s/labels.js';
import { secrets } from '../../k8s/secrets.js';
import { KEEP_DATA_SYNC_OPTIONS, SYNC_OPTIONS_ANNOTATION } from '../sync-order.js';
import { BARMAN_PLUGIN } from './cluster.js';

export const OBJECT_STORE = 'postgres-backups';

export interface PostgresObjectStoreProps {
  /** The stack's name: labels. */
  readonly stack: Pick<StackIdentity, 'name'>;
  /** Where the archive lives and how long it keeps backups and WAL. */
  readonly backups: Pick<BackupConfig, 'destinationPath' | 'endpointURL' | 'retentionDays'>;
}

/** The ObjectStore alone: the Cluster refers to it by name, so it is created first. */
export class PostgresObjectStore extends Construct {
  readonly name = OBJECT_STORE;

  constructor(scope: Construct, id: string, props: PostgresObjectStoreProps) {
    super(scope, id);
    const { stack, backups: b } = props;
    const credential = (key: string) => ({ name: secrets.backup.name, key });
    new ObjectStore(this, 'object-store', {
      metadata: {
        name: this.name,
        labels: commonLabels(stack),
        // It names the archive every recovery reads: nothing in Git removes it.
        annotations: { [SYNC_OPTIONS_ANNOTATION]: KEEP_DATA_SYNC_OPTIONS },
      },
      spec: {
        configuration: {
          destinationPath: b.destinationPath,
          endpointUrl: b.endpointURL,
          s3Credentials: {
            accessKeyId: credential(secrets.backup.keys.accessKeyId),
            secretAccessKey: credential(secrets.backup.keys.secretAccessKey),
          },
          wal: { compression: ObjectStoreSpecConfigurationWalCompression.GZIP, maxParallel: 4 },
          data: { compression: ObjectStoreSpecConfigurationDataCompression.GZIP, jobs: 2 },
        },
        retentionPolicy: `${b.retentionDays}d`,
        // The plugin's sidecar in every instance pod: archiving is I/O, not CPU, so it stays small.
        instanceSidecarConfiguration: {
          resources: {
            requests: { cpu: Requests.fromString('50m'), memory: Requests.fromString('64Mi') },
            limits: { cpu: Limits.fromString('500m'), memory: Limits.fromString('256Mi') },
          },
        },
      },
    });
  }
}

export interface PostgresScheduledBackupProps {
  /** The stack's name: labels. */
  readonly stack: Pick<StackIdentity, 'name'>;
  /** The Cluster backed up. */
  readonly cluster: string;
  /** Six fields (seconds first), UTC, as CloudNativePG reads it (`BackupConfig.schedule`). */
  readonly schedule: string;
}

export class PostgresScheduledBackup extends Construct {
  constructor(scope: Construct, id: string, props: PostgresScheduledBackupProps) {
    super(scope, id);
    new ScheduledBackup(this, 'daily', {
      metadata: { name: `${props.cluster}-daily`, labels: componentLabels(props.stack, 'postgres') },
      spec: {
        cluster: { name: props.cluster },
        schedule: props.schedule,
        method: ScheduledBackupSpecMethod.PLUGIN,
        pluginConfiguration: { name: BARMAN_PLUGIN },
        // A first base backup as soon as the Cluster exists: PITR and the restore check need one to start from.
        immediate: true,
        backupOwnerReference: ScheduledBackupSpecBackupOwnerReference.SELF,
      },
    });
  }
}
