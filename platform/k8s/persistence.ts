/** The persistent volume claim a StatefulSet mounts as `data` (Postgres volumes are CloudNativePG's own). */
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
