/** redis-server on a free loopback port, in a temp dir, nothing persisted unless asked. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { requireBinary } from './binaries.js';
import { freePort, tempDir } from './ports.js';
import { spawnService } from './process.js';

export interface RedisInstance {
  host: string;
  port: number;
  url: string;
  dir: string;
  stop(): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function ping(host: string, port: number): Promise<boolean> {
  const client = new Redis({ host, port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 500 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export async function startRedis(options: { args?: string[]; port?: number } = {}): Promise<RedisInstance> {
  const binary = requireBinary('redis-server', 'redis-server');
  const dir = await tempDir('redis');
  const port = options.port ?? (await freePort());
  const host = '127.0.0.1';
  const conf = join(dir.path, 'redis.conf');
  await writeFile(conf, [`bind ${host}`, `port ${port}`, `dir ${dir.path}`, 'save ""', 'appendonly no', 'protected-mode no', ''].join('\n'));
  const service = await spawnService({ name: 'redis', command: binary, args: [conf, ...(options.args ?? [])], dir: dir.path, ready: () => ping(host, port) });
  return {
    host,
    port,
    url: `redis://${host}:${port}`,
    dir: dir.path,
    kill: (signal) => service.kill(signal),
    async stop() {
      await service.stop();
      await dir.remove();
    },
  };
}
