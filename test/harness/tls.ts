/**
 * Throwaway certificates made with openssl, as CloudNativePG's `<cluster>-ca` signs its server
 * certificate: a CA, and a server certificate it signs that postgres (ssl=on) can read as its own OS user.
 */
import { execFile } from 'node:child_process';
import { chown, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { requireBinary } from './binaries.js';
import { postgresOsUser } from './postgres.js';

const run = promisify(execFile);

export class CertificateDir {
  constructor(readonly path: string) {}

  file(name: string): string {
    return join(this.path, name);
  }

  private async openssl(...args: string[]): Promise<void> {
    await run(requireBinary('openssl', 'openssl'), args, { cwd: this.path });
  }

  /** A CA named `name`: `<name>.key` and the self-signed `<name>.crt`. */
  async makeCa(name: string): Promise<void> {
    await this.openssl(
      ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${name}`],
      ...['-keyout', `${name}.key`, '-out', `${name}.crt`],
    );
  }

  /** server.crt/server.key signed by `ca` for `altNames` (a subjectAltName value), owned by postgres' OS user. */
  async makeServerCert(ca: string, altNames: string): Promise<void> {
    await writeFile(this.file('san.ext'), `subjectAltName=${altNames}\n`);
    await this.openssl(
      ...['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=postgres', '-keyout', 'server.key'],
      ...['-out', 'server.csr'],
    );
    await this.openssl(
      ...['x509', '-req', '-in', 'server.csr', '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial'],
      ...['-days', '1', '-extfile', 'san.ext', '-out', 'server.crt'],
    );
    // postgres refuses a key others can read, and reads it as its own OS user.
    const { uid, gid } = await postgresOsUser();
    if (uid !== undefined && gid !== undefined) {
      await chown(this.file('server.key'), uid, gid);
      await chown(this.file('server.crt'), uid, gid);
    }
    await run('chmod', ['600', this.file('server.key')]);
  }

  /** postgres settings that serve server.crt. */
  get postgresConf(): Record<string, string> {
    return { ssl: 'on', ssl_cert_file: this.file('server.crt'), ssl_key_file: this.file('server.key') };
  }
}
