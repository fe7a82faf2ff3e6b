/**
 * Freezing a whole Postgres (SIGSTOP the postmaster and every backend it forked): a server that
 * accepts TCP connections and answers nothing, the slow-dependency failure. Freezing only the
 * postmaster would leave pooled connections working, which is not the fault under test.
 */
import { readFile } from 'node:fs/promises';

async function childrenOf(pid: number): Promise<number[]> {
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  return text.split(/\s+/).filter(Boolean).map(Number);
}

export interface Frozen {
  pids: number[];
  thaw(): void;
}

/** SIGSTOPs the process and its children; thaw() SIGCONTs the same pids (idempotent). */
export async function freezeProcessTree(pid: number): Promise<Frozen> {
  // The postmaster first, so it forks no backend after the list is read.
  process.kill(pid, 'SIGSTOP');
  const children = await childrenOf(pid);
  for (const p of children) process.kill(p, 'SIGSTOP');
  const pids = [pid, ...children];
  let thawed = false;
  return {
    pids,
    thaw() {
      if (thawed) return;
      thawed = true;
      for (const p of pids) {
        try {
          process.kill(p, 'SIGCONT');
        } catch {
          // it exited meanwhile
        }
      }
    },
  };
}
