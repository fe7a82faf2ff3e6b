/** Target labels the test series carry, as Prometheus would attach them to a scraped gateway pod. */
export const gatewayTarget = {
  job: 'hsc-jit-gateway',
  instance: '10.0.0.7:8080',
  namespace: 'hsc-jit',
  pod: 'gateway-0',
} as const;
export const workerTarget = {
  job: 'hsc-jit-worker',
  instance: '10.0.0.9:8080',
  namespace: 'hsc-jit',
  pod: 'worker-0',
} as const;
/** kube-state-metrics' own target; namespace/pod on its series describe the watched pod (honor_labels). */
export const ksmTarget = {
  job: 'kube-state-metrics',
  instance: '10.0.1.2:8080',
  namespace: 'hsc-jit',
  pod: 'gateway-0',
} as const;
