/**
 * The servers under load, each in its own process so that its RSS and CPU time are its own: started
 * through the test harness' spawnService (log file, parent-death signal, exit hook, so no server outlives
 * the bench even when it crashes), ready once it prints one JSON line `{"wsUrl": …}` on stdout.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnService, type Service } from '../../test/harness/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface LoadTarget {
  name: string;
  pid: number;
  wsUrl: string;
  /** Where the server exports its metrics, when it announced one (the gateway's internal listener). */
  metricsUrl?: string;
  service: Service;
}

function announced(logFile: string): { wsUrl: string; metricsUrl?: string } | undefined {
  if (!existsSync(logFile)) return undefined;
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.startsWith('{"wsUrl"')) continue;
    const parsed = JSON.parse(line) as { wsUrl?: unknown; metricsUrl?: unknown };
    if (typeof parsed.wsUrl === 'string')
      return {
        wsUrl: parsed.wsUrl,
        ...(typeof parsed.metricsUrl === 'string' ? { metricsUrl: parsed.metricsUrl } : {}),
      };
  }
  return undefined;
}

/**
 * Runs `node --import tsx <entry>` (entry relative to the repo root) on a free loopback port, `env` added;
 * `nodeArgs` go before the entry (`--cpu-prof`, to see where a server's time goes under load).
 */
export async function startTarget(
  name: string,
  entry: string,
  env: Record<string, string>,
  dir: string,
  nodeArgs: readonly string[] = [],
): Promise<LoadTarget> {
  const logFile = join(dir, `${name}.log`);
  const service = await spawnService({
    name,
    command: process.execPath,
    args: [...nodeArgs, '--import', 'tsx', join(root, entry)],
    cwd: root,
    dir,
    env: { HOST: '127.0.0.1', PORT: '0', INTERNAL_PORT: '0', ...env },
    ready: async () => announced(logFile) !== undefined,
    readyTimeoutMs: 90_000,
  });
  const urls = announced(logFile);
  if (!urls) throw new Error(`${name} announced no {"wsUrl"} line in ${logFile}`);
  return { name, pid: service.pid, ...urls, service };
}
