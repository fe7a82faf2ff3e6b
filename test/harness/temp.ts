/** Temporary directories that disappear after the test (on remove(), or at the latest when the process exits). */
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onProcessExit } from './cleanup.js';

export interface TempDir {
  path: string;
  remove(): Promise<void>;
}

/** mkdtemp under os.tmpdir(), named hsc-<prefix>-XXXXXX. */
export async function tempDir(prefix: string): Promise<TempDir> {
  if (!/^[A-Za-z0-9_-]+$/.test(prefix)) throw new Error(`tempDir prefix "${prefix}": use letters, digits, - and _`);
  const path = await mkdtemp(join(tmpdir(), `hsc-${prefix}-`));
  const unregister = onProcessExit(() => rmSync(path, { recursive: true, force: true, maxRetries: 3 }));
  return {
    path,
    async remove() {
      unregister();
      await rm(path, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}
