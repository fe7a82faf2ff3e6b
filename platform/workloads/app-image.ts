/**
 * What every pod running the app image (docker/app.Dockerfile) shares, stated once: the gateway, the
 * workers and the migration Job run as its user, probe its health endpoints and stop within its margin.
 */
import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';

/** The app image's USER (and group): above the host's users (validate/hygiene-rules.ts, MIN_UID). */
export const APP_UID = 10001;

/** Seconds between the app's drain deadline and SIGKILL, for the process to close its pools and exit. */
export const SHUTDOWN_MARGIN_SECONDS = 10;

/**
 * A pod's grace period, from what it does after SIGTERM: the preStop sleep (endpoints drop the pod), the
 * app's drain, then the margin. It follows from the drain and is never restated.
 */
export function appGracePeriodSeconds(stop: { drainSeconds: number; preStopSeconds?: number }): number {
  return (stop.preStopSeconds ?? 0) + stop.drainSeconds + SHUTDOWN_MARGIN_SECONDS;
}

/**
 * The app image's probes on one port: /livez for start-up (up to 60 s) and liveness, /readyz for readiness,
 * whose pace is the caller's (a gateway leaves the Service faster than a worker needs to).
 */
export function appProbes(
  port: number,
  readiness: { periodSeconds: number; failureThreshold: number },
): Pick<kplus.ContainerProps, 'startup' | 'liveness' | 'readiness'> {
  return {
    startup: kplus.Probe.fromHttpGet('/livez', { port, periodSeconds: Duration.seconds(2), failureThreshold: 30 }),
    liveness: kplus.Probe.fromHttpGet('/livez', { port, periodSeconds: Duration.seconds(10), failureThreshold: 3 }),
    readiness: kplus.Probe.fromHttpGet('/readyz', {
      port,
      periodSeconds: Duration.seconds(readiness.periodSeconds),
      failureThreshold: readiness.failureThreshold,
    }),
  };
}
