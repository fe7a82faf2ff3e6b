/**
 * Last-resort cleanup when the test process goes away: children killed, temp dirs removed, so a crashed
 * or interrupted run leaves no orphaned redis-server/postgres behind. Hooks are synchronous because the
 * 'exit' event allows nothing else. On SIGINT/SIGTERM/SIGHUP the hooks run and the signal is re-raised,
 * so the process still dies the way it was asked to.
 */
const hooks = new Set<() => void>();
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let installed = false;

function runHooks(): void {
  // Newest first: services registered after their temp dir are killed before the dir is removed.
  for (const hook of [...hooks].reverse()) {
    try {
      hook();
    } catch {
      // Best effort: one failing hook must not keep the others from running.
    }
  }
  hooks.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  runHooks();
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  process.kill(process.pid, signal);
}

/** Registers a synchronous hook for process exit; returns a function that unregisters it. */
export function onProcessExit(hook: () => void): () => void {
  if (!installed) {
    installed = true;
    process.once('exit', runHooks);
    for (const s of SIGNALS) process.once(s, onSignal);
  }
  hooks.add(hook);
  return () => hooks.delete(hook);
}
