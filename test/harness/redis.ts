/**
 * redis-server on a free loopback port in a temp dir, nothing persisted (`save ""`, `appendonly no`)
 * unless the caller's config says otherwise, plus the one-shot command helper the sentinel cluster uses.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { requireBinary } from './binaries.js';
import { freePort } from './ports.js';
import { spawnService, type Service } from './process.js';
import { tempDir } from './temp.js';

export interface RedisInstance {
  host: string;
  port: number;
  /** redis://127.0.0.1:<port> */
  url: string;
  /** The temp dir holding redis.conf, the log and any data files. */
  dir: string;
  logFile: string;
  /** The managed process, for fault tests (pid, running, exited, SIGSTOP/SIGCONT). */
  service: Service;
  /** Stops the server and removes its dir. */
  stop(): Promise<void>;
  /** Default SIGKILL; the dir stays until stop(). */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface RedisOptions {
  /** Extra command-line arguments; they override the config file (`--maxmemory 10mb`). */
  args?: string[];
  /** Extra redis.conf lines, appended after the harness defaults (later lines win). */
  config?: string;
  port?: number;
  /** Names the log file and errors; default "redis". */
  name?: string;
  /** Run the config in sentinel mode (`redis-server <conf> --sentinel`). */
  sentinel?: boolean;
}

/** Sends one command on a fresh connection and closes it; rejects when the node does not answer within 1 s. */
export async function redisCommand(
  host: string,
  port: number,
  command: string,
  ...args: (string | number)[]
): Promise<unknown> {
  const client = new Redis({
    host,
    port,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1_000,
    commandTimeout: 1_000,
  });
  client.on('error', () => undefined); // the rejected promise below carries the error
  try {
    await client.connect();
    return await client.call(command, ...args);
  } finally {
    client.disconnect();
  }
}

/** True when the node answers PING with PONG. */
export async function redisPing(host: string, port: number): Promise<boolean> {
  return (await redisCommand(host, port, 'PING').catch(() => undefined)) === 'PONG';
}

/** `INFO <section>` parsed into key/value pairs. */
export async function redisInfo(host: string, port: number, section: string): Promise<Record<string, string>> {
  const text = String(await redisCommand(host, port, 'INFO', section));
  const fields: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return fields;
}

export async function startRedis(options: RedisOptions = {}): Promise<RedisInstance> {
  const binary = requireBinary('redis-server', 'redis-server');
  const name = options.name ?? (options.sentinel ? 'sentinel' : 'redis');
  // On a failed start the dir (and its log, quoted in the error) stays until the process exits.
  const dir = await tempDir(name);
  const host = '127.0.0.1';
  const port = options.port ?? (await freePort());
  const conf = join(dir.path, options.sentinel ? 'sentinel.conf' : 'redis.conf');
  // The file must stay writable: sentinels and replicas rewrite their config during a failover.
  const defaults = [`bind ${host}`, `port ${port}`, `dir ${dir.path}`, 'protected-mode no'];
  // repl-diskless-sync-delay 0: Redis 7 otherwise waits 5 s for more replicas before a first full sync.
  if (!options.sentinel) defaults.push('save ""', 'appendonly no', 'repl-diskless-sync-delay 0');
  await writeFile(conf, [...defaults, options.config ?? '', ''].join('\n'));
  const args = [conf, ...(options.sentinel ? ['--sentinel'] : []), ...(options.args ?? [])];
  const service = await spawnService({
    name,
    command: binary,
    args,
    dir: dir.path,
    ready: () => redisPing(host, port),
  });
  return {
    host,
    port,
    url: `redis://${host}:${port}`,
    dir: dir.path,
    logFile: service.logFile,
    service,
    kill: (signal) => service.kill(signal),
    async stop() {
      await service.stop();
      await dir.remove();
    },
  };
}
