/**
 * A real Prometheus on a free loopback port, in a temp dir, for the live check, plus the few HTTP API
 * calls the check needs. (Written before test/harness existed; when the harness's startPrometheus
 * lands, this file can delegate to it.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PrometheusInstance {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startPrometheus(options: {
  config: string;
  ruleFiles?: Record<string, string>;
}): Promise<PrometheusInstance> {
  const dir = await mkdtemp(join(tmpdir(), 'hsc-jit-prometheus-'));
  for (const [name, text] of Object.entries(options.ruleFiles ?? {})) await writeFile(join(dir, name), text);
  await writeFile(join(dir, 'prometheus.yml'), options.config);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'ENOENT' ? new Error('prometheus not found: install the Debian package "prometheus"') : e),
    ),
  );
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}:\n${output}`);
    const ready = await Promise.race([
      fetch(`${url}/-/ready`).then(
        (r) => r.ok,
        () => false,
      ),
      spawnError,
    ]);
    if (ready) return { url, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus not ready within 30 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface PromSeries {
  metric: Record<string, string>;
  value: [number, string];
}

export async function instantQuery(prometheusUrl: string, query: string): Promise<PromSeries[]> {
  const response = await fetch(`${prometheusUrl}/api/v1/query?${new URLSearchParams({ query })}`);
  const body = (await response.json()) as {
    status: string;
    error?: string;
    data?: { resultType: string; result: PromSeries[] };
  };
  if (body.status !== 'success' || !body.data)
    throw new Error(`query failed: ${query}: ${body.error ?? response.status}`);
  return body.data.result;
}

export interface RuleView {
  name: string;
  type: 'alerting' | 'recording';
  health: string;
  lastError?: string;
  state?: string;
  labels?: Record<string, string>;
}
export interface RuleGroupView {
  name: string;
  file: string;
  lastEvaluation: string;
  rules: RuleView[];
}

export async function ruleGroupsOf(prometheusUrl: string): Promise<RuleGroupView[]> {
  const response = await fetch(`${prometheusUrl}/api/v1/rules`);
  const body = (await response.json()) as { status: string; data: { groups: RuleGroupView[] } };
  if (body.status !== 'success') throw new Error('GET /api/v1/rules failed');
  return body.data.groups;
}

/** Polls `check` until it returns a value (not undefined) or the deadline passes; returns the last attempt's value. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 500,
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
