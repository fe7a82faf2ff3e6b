/** Starts the real app (embedded defaults unless `env` says otherwise) on a free loopback port. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../app/shared/config.js';
import { startRuntime, type Runtime, type RuntimeOptions } from '../../app/composition/runtime.js';

export interface TestRuntime extends Runtime {
  dataDir: string;
  /** Stops the app and removes its data directory. */
  dispose(): Promise<void>;
}

export async function startTestRuntime(
  env: Record<string, string> = {},
  options: RuntimeOptions = {},
): Promise<TestRuntime> {
  const dataDir = env.DATA_DIR ?? (await mkdtemp(join(tmpdir(), 'hsc-jit-')));
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    INTERNAL_PORT: '0',
    LOG_LEVEL: 'silent',
    DRAIN_SECONDS: '0',
    DATA_DIR: dataDir,
    ...env,
  });
  const runtime = await startRuntime(config, options);
  return Object.assign(runtime, {
    dataDir,
    async dispose() {
      await runtime.stop();
      if (!env.DATA_DIR) await rm(dataDir, { recursive: true, force: true });
    },
  });
}
