/**
 * App-to-Postgres TLS against a real postgres on loopback started with ssl=on and a server certificate
 * from a throwaway CA made here with openssl (as CloudNativePG's `<cluster>-ca` signs its server
 * certificate). With DATABASE_CA_FILE the pools, the probe and the maintenance session connect over TLS
 * and verify both the chain and the host name (verify-full); a wrong CA or a certificate for another
 * host is refused; the setting is checked at start-up; without it the plain connection still works.
 */
import { readFileSync } from 'node:fs';
import { chmod, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CertificateDir,
  startPostgres,
  tempDir,
  type PostgresInstance,
  type TempDir,
} from '../../../test/harness/index.js';
import { type ConfigError, loadConfig } from '../../shared/config.js';
import { openPostgresDb } from './postgres-db.js';

let dir: TempDir;
let certs: CertificateDir;
let postgres: PostgresInstance;
let url: string;
const file = (name: string) => certs.file(name);

const sslOf = async (db: ReturnType<typeof openPostgresDb>) =>
  (await db.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')).rows[0]?.ssl;

beforeAll(async () => {
  dir = await tempDir('postgres-tls');
  await chmod(dir.path, 0o755);
  certs = new CertificateDir(dir.path);
  await certs.makeCa('ca');
  await certs.makeCa('wrong-ca');
  await certs.makeServerCert('ca', 'IP:127.0.0.1,DNS:localhost');
  postgres = await startPostgres({ conf: certs.postgresConf });
  url = await postgres.createDatabase('tls');
});

afterAll(async () => {
  await postgres?.stop();
  await dir?.remove();
});

describe('Postgres over TLS with DATABASE_CA_FILE', () => {
  it('connects over TLS with the chain and the host verified: pools, replica pool and maintenance session', async () => {
    const config = loadConfig({ DATABASE_URL: url, DATABASE_REPLICA_URL: url, DATABASE_CA_FILE: file('ca.crt') });
    expect(config.database.kind).toBe('postgres');
    const ca = config.database.kind === 'postgres' ? config.database.ca : undefined;
    expect(ca).toContain('BEGIN CERTIFICATE');
    const db = openPostgresDb({ url, replicaUrl: url, poolMax: 2, statementTimeoutMs: 5_000, ca });
    try {
      expect(await sslOf(db)).toBe(true);
      const read = await db.read.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
      expect(read.rows[0]?.ssl).toBe(true);
      const maintenance = await db.maintenanceSession((s) =>
        s.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()'),
      );
      expect(maintenance.rows[0]?.ssl).toBe(true);
    } finally {
      await db.close();
    }
  });

  it('refuses a server whose certificate another CA signed', async () => {
    const db = openPostgresDb({
      url,
      poolMax: 1,
      statementTimeoutMs: 5_000,
      ca: readFileSync(file('wrong-ca.crt'), 'utf8'),
    });
    try {
      await expect(db.query('SELECT 1')).rejects.toThrow(/self[- ]signed|unable to (get|verify)|certificate/i);
    } finally {
      await db.close();
    }
  });

  it('refuses a certificate that does not name the host connected to (verify-full, not verify-ca)', async () => {
    const ca = readFileSync(file('ca.crt'), 'utf8');
    await certs.makeServerCert('ca', 'DNS:localhost');
    await postgres.query('SELECT pg_reload_conf()');
    const byIp = openPostgresDb({ url, poolMax: 1, statementTimeoutMs: 5_000, ca });
    const byName = openPostgresDb({
      url: url.replace('127.0.0.1', 'localhost'),
      poolMax: 1,
      statementTimeoutMs: 5_000,
      ca,
    });
    try {
      await expect(byIp.query('SELECT 1')).rejects.toThrow(/127\.0\.0\.1|altnames|Hostname/i);
      expect(await sslOf(byName)).toBe(true);
    } finally {
      await Promise.all([byIp.close(), byName.close()]);
      await certs.makeServerCert('ca', 'IP:127.0.0.1,DNS:localhost');
      await postgres.query('SELECT pg_reload_conf()');
    }
  });

  it('checks the setting at start-up, naming the variable', async () => {
    await writeFile(file('not-a-cert.pem'), 'hello\n');
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ DATABASE_URL: url, DATABASE_CA_FILE: file('missing.pem') })).toEqual([
      `DATABASE_CA_FILE: expected a readable PEM file (got "${file('missing.pem')}": ENOENT)`,
    ]);
    expect(problems({ DATABASE_URL: url, DATABASE_CA_FILE: file('not-a-cert.pem') })).toEqual([
      `DATABASE_CA_FILE: expected a PEM certificate (got "${file('not-a-cert.pem')}", which holds none)`,
    ]);
    expect(problems({ DATABASE_URL: `${url}?sslmode=require`, DATABASE_CA_FILE: file('ca.crt') })).toEqual([
      'DATABASE_URL: leave out ssl* parameters when DATABASE_CA_FILE is set (it turns on verify-full TLS)',
    ]);
    expect(problems({ DATABASE_CA_FILE: file('ca.crt'), DATA_DIR: dir.path })).toEqual([
      'DATABASE_CA_FILE: only used with DATABASE_URL; set that too, or unset it',
    ]);
  });

  it('without DATABASE_CA_FILE the connection stays as it was (plain)', async () => {
    const config = loadConfig({ DATABASE_URL: url });
    expect(config.database.kind === 'postgres' && config.database.ca).toBe(undefined);
    const db = openPostgresDb({ url, poolMax: 1, statementTimeoutMs: 5_000 });
    try {
      expect(await sslOf(db)).toBe(false);
    } finally {
      await db.close();
    }
  });
});
