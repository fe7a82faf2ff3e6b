/**
 * Prometheus and promtool from Debian's `prometheus` package. startPrometheus writes the config and rule
 * files into a temp dir (so `rule_files: [alerts.yml]` in the config resolves next to it) and serves on
 * a free loopback port with the lifecycle API on, so a test can POST /-/reload after rewriting a file.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { requireBinary } from './binaries.js';
import { freePort } from './ports.js';
import { spawnService, type Service } from './process.js';
import { tempDir } from './temp.js';

export interface PrometheusOptions {
  /** prometheus.yml, as YAML text. */
  config: string;
  /** File name → contents, written next to prometheus.yml. */
  ruleFiles?: Record<string, string>;
  /** Extra command-line flags (`--query.lookback-delta=1m`). */
  args?: string[];
  readyTimeoutMs?: number;
}

export interface PrometheusInstance {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  /** The temp dir holding prometheus.yml, the rule files, the TSDB and the log. */
  dir: string;
  logFile: string;
  service: Service;
  /** POST /-/reload: re-reads the config and rule files; rejects with Prometheus' message when they are invalid. */
  reload(): Promise<void>;
  stop(): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function startPrometheus(options: PrometheusOptions): Promise<PrometheusInstance> {
  const binary = requireBinary('prometheus', 'prometheus');
  const dir = await tempDir('prometheus');
  for (const [name, text] of Object.entries(options.ruleFiles ?? {})) {
    if (name !== basename(name) || name === 'prometheus.yml')
      throw new Error(`rule file name "${name}": a plain file name other than prometheus.yml`);
    await writeFile(join(dir.path, name), text);
  }
  const configFile = join(dir.path, 'prometheus.yml');
  await writeFile(configFile, options.config);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const service = await spawnService({
    name: 'prometheus',
    command: binary,
    args: [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir.path, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-lifecycle',
      ...(options.args ?? []),
    ],
    dir: dir.path,
    ready: async () => (await fetch(`${url}/-/ready`)).status === 200,
    readyTimeoutMs: options.readyTimeoutMs ?? 30_000,
  });
  return {
    url,
    port,
    dir: dir.path,
    logFile: service.logFile,
    service,
    async reload() {
      const response = await fetch(`${url}/-/reload`, { method: 'POST' });
      if (!response.ok)
        throw new Error(`prometheus reload failed (${response.status}): ${(await response.text()).trim()}`);
    },
    kill: (signal) => service.kill(signal),
    async stop() {
      await service.stop(10_000);
      await dir.remove();
    },
  };
}

export interface PromtoolResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs promtool; a non-zero exit is a result (code, stdout, stderr), not a rejection. */
export async function promtool(
  args: string[],
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<PromtoolResult> {
  const binary = requireBinary('promtool', 'prometheus');
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      args,
      { cwd: options.cwd, timeout: options.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          // Not an exit code: the binary could not run or was killed by the timeout.
          reject(new Error(`promtool ${args.join(' ')}: ${error.message}\n${stderr}`));
          return;
        }
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
  });
}
