import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('runs on embedded defaults with nothing set', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ kind: 'embedded', dataDir: '.data' });
    expect(config.redis).toEqual({ kind: 'embedded' });
    expect(config.port).toBe(8080);
    expect(config.llm).toBeUndefined();
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
    expect(loadConfig({}).migrateOnStart).toBe(true);
    expect(loadConfig({ MIGRATE_ON_START: 'false' }).migrateOnStart).toBe(false);
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
});
