/**
 * A process with only the process guard installed, driven over stdin: each line names a way to
 * escape to the event loop, and the process answers on stdout with its metrics after each one.
 */
import { createInterface } from 'node:readline';
import { createLogger } from '../../../app/shared/log.js';
import { createTelemetry } from '../../../app/shared/telemetry/registry.js';
import { installProcessGuard } from '../../../app/shared/telemetry/process-guard.js';

const telemetry = createTelemetry({ defaultMetrics: false });
installProcessGuard({ log: createLogger('error', process.stderr as never), metrics: telemetry.m, burstLimit: 5 });

const escapes: Record<string, () => void> = {
  throw: () => setTimeout(() => JSON.parse('{not json')),
  reject: () => void Promise.reject(new Error('nobody awaited me')),
  overflow: () =>
    setTimeout(() => {
      const recurse = (n: number): number => recurse(n + 1) + 1;
      recurse(0);
    }),
};

createInterface({ input: process.stdin }).on('line', (line) => {
  escapes[line.trim()]?.();
  setTimeout(async () => {
    const counted = await telemetry.registry.getSingleMetricAsString('process_unhandled_errors_total');
    process.stdout.write(`${JSON.stringify({ after: line.trim(), counted })}\n`);
  }, 50);
});
process.stdout.write('{"ready":true}\n');
