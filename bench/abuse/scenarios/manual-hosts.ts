/**
 * Finding 8: MANUAL_HOSTS as `host[:port]`. The drill's manual host serves on a port the OS picked and
 * is named to the worker as `127.0.0.1:<port>`: a manual there becomes ready (loopback is only allowed
 * when named, so the entry is what lets it through). The gateway and the worker started with an invalid
 * entry stop at once, non-zero, naming MANUAL_HOSTS. Manuals whose host redirects to another port of
 * itself, the gateway's internal listener (/metrics) and a spy serving a real PDF, fail: the spy counts
 * no request, and the customer's error carries nothing of the other side (its Content-Type, its body).
 */
import { runApp } from '../../../test/helpers/app-process.js';
import { TestClient } from '../../../test/helpers/ws-client.js';
import type { Scenario } from '../scenario.js';
import { LISTED_PORT_PRODUCT, REDIRECT_PRODUCTS } from '../stack.js';

/** A port out of range: a typo an operator makes. */
const INVALID_ENTRY = '127.0.0.1:99999';

export const manualHosts: Scenario = {
  name: 'manual-hosts-entries',
  async run(stack) {
    const client = await TestClient.connect(stack.gateway.wsUrl);
    const outcome = async (productId: string) => {
      client.send({ type: 'select', productId });
      const final = await client.next(
        'manual',
        (m) => m.productId === productId && (m.status === 'ready' || m.status === 'failed'),
        60_000,
      );
      return { status: final.status, error: final.error };
    };
    try {
      await client.next('hello');
      const listed = await outcome(LISTED_PORT_PRODUCT);

      const metrics = await fetch(`${stack.internalUrl}/metrics`);
      const metricsType = (metrics.headers.get('content-type') ?? '').split(';')[0]!;
      await metrics.arrayBuffer();
      const spyBefore = stack.downloads.spy;
      const toInternal = await outcome(REDIRECT_PRODUCTS.internal);
      const toOtherPort = await outcome(REDIRECT_PRODUCTS.spy);
      const spyRequests = stack.downloads.spy - spyBefore;
      const redirects = [toInternal, toOtherPort];
      const echoes = redirects.filter(({ error = '' }) =>
        [metricsType, 'content-type', '# HELP', '# TYPE'].some((piece) =>
          error.toLowerCase().includes(piece.toLowerCase()),
        ),
      ).length;

      const starts = await Promise.all(
        ['app/main.ts', 'app/worker.ts'].map(async (entry) => {
          const started = performance.now();
          // A process that starts after all is stopped as soon as it says so; the budget counts it.
          const { code, output } = await runApp(
            entry,
            { ...stack.workerEnv, MANUAL_HOSTS: `${stack.workerEnv.MANUAL_HOSTS},${INVALID_ENTRY}` },
            // The refusal comes after tsx has compiled the entry's imports: long on a loaded machine.
            { until: /gateway listening|worker running/, hangMs: 180_000 },
          );
          return {
            entry,
            code,
            ms: Math.round(performance.now() - started),
            message: output.split('\n').find((line) => line.includes('MANUAL_HOSTS')) ?? output.slice(-300),
          };
        }),
      );
      const refusedAtStart = starts.filter(
        (s) => s.code !== null && s.code !== 0 && s.message.includes('MANUAL_HOSTS'),
      ).length;
      return {
        figures: {
          listedPort: listed,
          redirectToInternalListener: toInternal,
          redirectToOtherPort: toOtherPort,
          requestsReachingOtherPort: spyRequests,
          internalListenerContentType: metricsType,
          invalidEntry: INVALID_ENTRY,
          startsWithInvalidEntry: starts,
        },
        budgets: [
          { name: 'manual on the host:port entry ready', value: Number(listed.status === 'ready'), min: 1 },
          { name: 'start-ups with an invalid entry refused, naming MANUAL_HOSTS', value: refusedAtStart, min: 2 },
          {
            name: 'redirects to another port refused',
            value: redirects.filter((r) => r.status === 'failed').length,
            min: 2,
          },
          { name: 'requests reaching the other port', value: spyRequests, max: 0 },
          { name: 'refusals echoing the other side (Content-Type, body)', value: echoes, max: 0 },
        ],
      };
    } finally {
      client.close();
    }
  },
};
