/**
 * The last line of defence, in a real process: an exception or rejection that escapes to the event
 * loop is counted and the process keeps serving; a state that is really unknown (stack overflow,
 * a burst of exceptions) ends it with exit code 1 for the supervisor to replace.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('./helpers/guarded-process.ts', import.meta.url));

interface Guarded {
  child: ChildProcessWithoutNullStreams;
  send(line: string): Promise<string>;
  exited: Promise<number | null>;
}

const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

async function start(): Promise<Guarded> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], { stdio: 'pipe' });
  children.push(child);
  const lines = createInterface({ input: child.stdout });
  const pending: Array<(line: string) => void> = [];
  lines.on('line', (line) => pending.shift()?.(line));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<string>((resolve) => pending.push(resolve));
  return {
    child,
    exited,
    send: (line) =>
      new Promise<string>((resolve) => {
        pending.push((answer) => resolve((JSON.parse(answer) as { counted: string }).counted));
        child.stdin.write(`${line}\n`);
      }),
  };
}

describe('process guard', () => {
  it('counts an uncaught exception and an unhandled rejection, and the process keeps serving', async () => {
    const guarded = await start();
    expect(await guarded.send('throw')).toMatch(
      /process_unhandled_errors_total\{kind="uncaught_exception",fatal="false"\} 1/,
    );
    expect(await guarded.send('reject')).toMatch(
      /process_unhandled_errors_total\{kind="unhandled_rejection",fatal="false"\} 1/,
    );
    expect(await guarded.send('throw')).toMatch(/kind="uncaught_exception",fatal="false"\} 2/);
    expect(guarded.child.exitCode).toBeNull();
  });

  it('exits when the state is unknown: a stack overflow', async () => {
    const guarded = await start();
    guarded.child.stdin.write('overflow\n');
    expect(await guarded.exited).toBe(1);
  });

  it('exits when exceptions come in a burst (something throws in a loop)', async () => {
    const guarded = await start();
    for (let i = 0; i < 5; i++) await guarded.send('throw');
    expect(guarded.child.exitCode).toBeNull();
    guarded.child.stdin.write('throw\n');
    expect(await guarded.exited).toBe(1);
  });
});
