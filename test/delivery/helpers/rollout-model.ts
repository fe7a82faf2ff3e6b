/**
 * The Deployment controller's rolling-update arithmetic, reduced to what decides availability: new pods
 * are added while the total stays within replicas + maxSurge, old pods are removed only while the ready
 * count stays at or above replicas − maxUnavailable. Stepping it with new pods that never become ready is
 * the "failing readiness probe" case of a rollout.
 */
export interface RolloutSettings {
  replicas: number;
  maxSurge: number;
  maxUnavailable: number;
}

export interface RolloutTrace {
  /** Ready pods after each step (old ready + new ready). */
  ready: number[];
  /** Old pods still running at the end. */
  oldLeft: number;
  complete: boolean;
}

export function simulateRollout(settings: RolloutSettings, newPodsBecomeReady: boolean, steps = 50): RolloutTrace {
  const { replicas, maxSurge, maxUnavailable } = settings;
  let old = replicas;
  let fresh = 0;
  const ready: number[] = [];
  for (let step = 0; step < steps && !(old === 0 && fresh === replicas); step++) {
    // Scale up: as many new pods as the surge allows.
    fresh = Math.min(replicas, fresh + Math.max(0, replicas + maxSurge - (old + fresh)));
    const freshReady = newPodsBecomeReady ? fresh : 0;
    // Scale down: only as far as the availability floor allows.
    const removable = Math.max(0, old + freshReady - (replicas - maxUnavailable));
    old -= Math.min(old, removable);
    ready.push(old + freshReady);
  }
  return { ready, oldLeft: old, complete: old === 0 && fresh === replicas && newPodsBecomeReady };
}
