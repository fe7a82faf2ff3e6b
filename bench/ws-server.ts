/**
 * The gateway on embedded defaults in its own process, for the WebSocket round-trip bench: prints one
 * JSON line `{"wsUrl": …, "metricsUrl": …}` once listening, stops on SIGTERM. Env comes from the parent (PORT=0, DATA_DIR).
 */
import { loadConfig } from '../app/shared/config.js';
import { startRuntime } from '../app/composition/runtime.js';

const runtime = await startRuntime(loadConfig(process.env));
process.stdout.write(`${JSON.stringify({ wsUrl: runtime.wsUrl, metricsUrl: `${runtime.internalUrl}/metrics` })}\n`);
process.once('SIGTERM', () => {
  void runtime.stop().then(() => process.exit(0));
});
