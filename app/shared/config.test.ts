import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, settingList, settingProblem } from './config.js';

/** The problems a ConfigError lists, or a failure when the config was accepted. */
function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error(`accepted: ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('runs on embedded defaults with nothing set', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ kind: 'embedded', dataDir: '.data' });
    expect(config.redis).toEqual({ kind: 'embedded' });
    expect(config.server.port).toBe(8080);
    expect(config.answers.llm).toBeUndefined();
  });

  it('switches to Postgres and Redis when their URLs are set', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://app@db-rw:5432/hsc',
      DATABASE_REPLICA_URL: 'postgres://app@db-ro:5432/hsc',
      REDIS_URL: 'redis://redis:6379',
    });
    expect(config.database).toMatchObject({
      kind: 'postgres',
      url: 'postgres://app@db-rw:5432/hsc',
      replicaUrl: 'postgres://app@db-ro:5432/hsc',
    });
    expect(config.redis).toMatchObject({ kind: 'url', url: 'redis://redis:6379' });
  });

  it('parses a sentinel list', () => {
    const config = loadConfig({ REDIS_SENTINELS: 's1:26379,10.0.0.2:26380', REDIS_MASTER_NAME: 'main' });
    expect(config.redis).toEqual({
      kind: 'sentinel',
      masterName: 'main',
      password: undefined,
      sentinelPassword: undefined,
      sentinels: [
        { host: 's1', port: 26379 },
        { host: '10.0.0.2', port: 26380 },
      ],
    });
  });

  it("gives the sentinels their own password, or the data nodes' one when they have none of their own", () => {
    const sentinels = 's1:26379';
    expect(
      loadConfig({ REDIS_SENTINELS: sentinels, REDIS_PASSWORD: 'data', REDIS_SENTINEL_PASSWORD: 'sentinel' }).redis,
    ).toMatchObject({ password: 'data', sentinelPassword: 'sentinel' });
    expect(loadConfig({ REDIS_SENTINELS: sentinels, REDIS_PASSWORD: 'data' }).redis).toMatchObject({
      sentinelPassword: 'data',
    });
    expect(() => loadConfig({ REDIS_URL: 'redis://r:6379', REDIS_SENTINEL_PASSWORD: 'x' })).toThrow(
      /REDIS_SENTINEL_PASSWORD: only used with REDIS_SENTINELS/,
    );
  });

  it('migrates on start unless told the release step does it', () => {
    expect(loadConfig({}).storage.migrateOnStart).toBe(true);
    expect(loadConfig({ MIGRATE_ON_START: 'false' }).storage.migrateOnStart).toBe(false);
    expect(() => loadConfig({ MIGRATE_ON_START: 'no' })).toThrow(/MIGRATE_ON_START/);
  });

  it('names every bad variable and what it expects', () => {
    let caught: unknown;
    try {
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', REDIS_SENTINELS: 'nohost' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as ConfigError).message;
    expect(message).toMatch(/PORT: expected .*\(got "eighty"\)/);
    expect(message).toMatch(/LOG_LEVEL: expected/);
    expect(message).toMatch(/REDIS_SENTINELS: expected a comma-separated list of host:port/);
  });

  it('never echoes a secret-bearing value in an error', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://root:hunter2@db/x' })).toThrow(ConfigError);
    try {
      loadConfig({ DATABASE_URL: 'mysql://root:hunter2@db/x' });
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
  });

  it('rejects contradictory settings', () => {
    expect(() => loadConfig({ REDIS_URL: 'redis://a:6379', REDIS_SENTINELS: 'b:26379' })).toThrow(/set one of them/);
    expect(() => loadConfig({ DATABASE_REPLICA_URL: 'postgres://r/x' })).toThrow(/needs DATABASE_URL/);
    expect(() => loadConfig({ LLM_BASE_URL: 'http://llm:8000/v1' })).toThrow(/LLM_MODEL/);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: ' ' }).database.kind).toBe('embedded');
  });

  // Issue 12 finding 14: each of these used to pass validation and fail later, silently or unnamed.
  it.each(['1e3', '0x50', '80.5', ' 80', '+80', 'Infinity', '0b1010', '65536', '-1'])('rejects PORT=%j', (port) => {
    expect(problemsOf({ PORT: port })).toMatch(/PORT: expected a whole number from 0 to 65535/);
  });

  it('rejects non-decimal spellings of every numeric setting, and takes plain decimals', () => {
    const message = problemsOf({ WS_RATE_PER_SECOND: '5e1', DATABASE_POOL_MAX: '0x10' });
    expect(message).toMatch(/WS_RATE_PER_SECOND: expected a decimal number from 1 to 10000 \(got "5e1"\)/);
    expect(message).toMatch(/DATABASE_POOL_MAX: expected a whole number from 1 to 500 \(got "0x10"\)/);
    const config = loadConfig({ PORT: '80', WS_RATE_PER_SECOND: '12.5', DATA_DIR: scratchDir() });
    expect(config.server.port).toBe(80);
    expect(config.websocket.ratePerSecond).toBe(12.5);
  });

  it.each([
    ['DATABASE_URL', 'postgres://user:s3cret-pw@'],
    ['DATABASE_URL', 'postgres://user:s3cret-pw@/db'],
    ['DATABASE_REPLICA_URL', 'postgresql://user:s3cret-pw@:5432/db'],
    ['REDIS_URL', 'redis://:s3cret-pw@'],
    ['SENTRY_DSN', 's3cret-garbage'],
    ['SENTRY_DSN', 'https://o1.ingest.sentry.io/123?s3cret'],
    ['SENTRY_DSN', 'ftp://s3cret@o1.ingest.sentry.io/123'],
  ])('stops on %s without a host or shape, naming it and never echoing it', (variable, value) => {
    const env: Record<string, string> = { [variable]: value };
    if (variable === 'DATABASE_REPLICA_URL') env.DATABASE_URL = 'postgres://app@db-rw:5432/hsc';
    const message = problemsOf(env);
    expect(message).toMatch(new RegExp(`${variable}: expected a`));
    expect(message).not.toContain('s3cret');
  });

  it('accepts real URLs and DSNs, including a libpq socket directory', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres:///hsc?host=/var/run/postgresql',
      REDIS_URL: 'rediss://:pw@redis.example:6380/0',
      SENTRY_DSN: 'https://abc123@o1.ingest.sentry.io/4507',
    });
    expect(config.database.kind).toBe('postgres');
    expect(config.observability.sentryDsn).toBe('https://abc123@o1.ingest.sentry.io/4507');
  });

  it('stops when DATA_DIR cannot be written, instead of the embedded database hanging', () => {
    const dir = scratchDir();
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    expect(problemsOf({ DATA_DIR: join(file, 'data') })).toMatch(
      /DATA_DIR: expected a writable directory for the embedded database \(got ".*a-file\/data": ENOTDIR\)/,
    );
    expect(problemsOf({ DATA_DIR: '/proc/hsc-jit-data' })).toMatch(/DATA_DIR: expected a writable directory/);
    if (process.getuid?.() !== 0) {
      chmodSync(dir, 0o500); // root writes anyway; an ordinary user gets EACCES
      expect(problemsOf({ DATA_DIR: join(dir, 'data') })).toMatch(/DATA_DIR: .*EACCES/);
      chmodSync(dir, 0o700);
    }
    // With Postgres configured DATA_DIR is not used, so it is not checked.
    expect(loadConfig({ DATA_DIR: join(file, 'data'), DATABASE_URL: 'postgres://app@db/hsc' }).database.kind).toBe(
      'postgres',
    );
    expect(loadConfig({ DATA_DIR: join(dir, 'fresh', 'data') }).storage.dataDir).toBe(join(dir, 'fresh', 'data'));
  });

  it('reads MANUAL_HOSTS as host or host:port entries in one spelling, and refuses anything else', () => {
    const dataDir = scratchDir();
    const hosts = loadConfig({
      DATA_DIR: dataDir,
      MANUAL_HOSTS: 'Docs.Example.com, mirror.lan:8080,[FD00::1]:8443,[::1]',
    }).manuals.hosts;
    expect(hosts).toEqual(['docs.example.com', 'mirror.lan:8080', '[fd00::1]:8443', '[::1]']);
    for (const bad of [
      'mirror.lan:0',
      'mirror.lan:65536',
      'fd00::1',
      'http://mirror.lan',
      'mirror.lan/x',
      'a b',
      ':80',
    ])
      expect(problemsOf({ MANUAL_HOSTS: bad }), bad).toMatch(
        /MANUAL_HOSTS: expected a comma-separated list of host or host:port/,
      );
  });

  it('reads TRUST_PROXY as a hop count and ALLOWED_ORIGINS as exact origins', () => {
    const dataDir = scratchDir();
    expect(loadConfig({ DATA_DIR: dataDir, TRUST_PROXY: 'true' }).websocket.trustedProxyHops).toBe(1);
    expect(loadConfig({ DATA_DIR: dataDir, TRUST_PROXY: '2' }).websocket.trustedProxyHops).toBe(2);
    expect(loadConfig({ DATA_DIR: dataDir }).websocket.trustedProxyHops).toBe(0);
    expect(problemsOf({ TRUST_PROXY: 'yes' })).toMatch(/TRUST_PROXY: expected the number of proxies/);
    const origins = loadConfig({ DATA_DIR: dataDir, ALLOWED_ORIGINS: 'https://a.example, http://localhost:5173/' });
    expect([...origins.websocket.allowedOrigins]).toEqual(['https://a.example', 'http://localhost:5173']);
    for (const bad of ['a.example', 'https://a.example/path', 'ftp://a.example', '*'])
      expect(problemsOf({ ALLOWED_ORIGINS: bad })).toMatch(
        /ALLOWED_ORIGINS: expected a comma-separated list of origins/,
      );
  });
});

describe('the settings schema', () => {
  it('declares each variable once, and every default passes its own parser', () => {
    const names = settingList.flatMap((s) => [s.env, ...(s.formerly ?? [])]);
    expect(new Set(names).size).toBe(names.length);
    for (const setting of settingList)
      if (setting.default !== undefined && setting.default !== '')
        expect(settingProblem(setting.env as never, setting.default), setting.env).toBeUndefined();
  });

  it('puts each value where its group says', () => {
    const config = loadConfig({
      DATA_DIR: scratchDir(),
      WORKER_CONCURRENCY: '7',
      MANUAL_STARTS_PER_MINUTE_PER_ADDRESS: '41',
      RETENTION_DAYS: '12',
    });
    expect(config.worker.concurrency).toBe(7);
    expect(config.manuals.fairness.startsPerMinutePerAddress).toBe(41);
    expect(config.privacy.retentionDays).toBe(12);
    // Unset: the declared default.
    expect(config.websocket.maxConnections).toBe(20_000);
  });

  it('reads the prefetch threshold under its new name, and under its former one while both are accepted', () => {
    const dataDir = scratchDir();
    expect(loadConfig({ DATA_DIR: dataDir }).manuals.prefetchConfidence).toBe(0.9);
    expect(loadConfig({ DATA_DIR: dataDir, MANUAL_PREFETCH_CONFIDENCE: '0.7' }).manuals.prefetchConfidence).toBe(0.7);
    expect(loadConfig({ DATA_DIR: dataDir, PREDICTION_CONFIDENCE_THRESHOLD: '0.6' }).manuals.prefetchConfidence).toBe(
      0.6,
    );
    // The new name wins over the old one.
    expect(
      loadConfig({ DATA_DIR: dataDir, MANUAL_PREFETCH_CONFIDENCE: '0.8', PREDICTION_CONFIDENCE_THRESHOLD: '0.6' })
        .manuals.prefetchConfidence,
    ).toBe(0.8);
    // A bad value under the old name is named as written.
    expect(problemsOf({ PREDICTION_CONFIDENCE_THRESHOLD: '1.5' })).toMatch(
      /PREDICTION_CONFIDENCE_THRESHOLD: expected a decimal number from 0 to 1 \(got "1.5"\)/,
    );
  });

  it('names the allowed values of a choice', () => {
    expect(problemsOf({ LOG_LEVEL: 'loud' })).toMatch(
      /LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent \(got "loud"\)/,
    );
  });

  it('checks one value as the platform does, without echoing a credential', () => {
    expect(settingProblem('WS_MAX_CONNECTIONS', '0')).toMatch(/WS_MAX_CONNECTIONS: expected a whole number from 1/);
    expect(settingProblem('WS_MAX_CONNECTIONS', '10')).toBeUndefined();
    expect(settingProblem('DATABASE_URL', 'mysql://root:s3cret@db/x')).not.toContain('s3cret');
  });
});

const scratch: string[] = [];
function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hsc-config-'));
  scratch.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});
