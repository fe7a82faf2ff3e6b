/** The persistent volume claim every stateful workload mounts as `data` (its spec also serves the backups' PVC). */
import * as kplus from 'cdk8s-plus-28';

export function dataVolumeClaim(storageClass: string | undefined, storageGiB: number) {
  return {
    metadata: { name: 'data' },
    spec: {
      accessModes: ['ReadWriteOnce'],
      ...(storageClass ? { storageClassName: storageClass } : {}),
      resources: { requests: { storage: kplus.k8s.Quantity.fromString(`${storageGiB}Gi`) } },
    },
  };
}
