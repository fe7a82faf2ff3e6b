// Starts the extractor children (pdftotext, the pdf.js child) on behalf of a big process. Spawning
// forks the caller's address space: from a gateway of ~450 MB that holds its event loop ~33 ms per
// manual (76 ms seen), from this process of ~45 MB about 1 ms, and it happens here, off the gateway's loop.
// Plain JS, forked without tsx, so it stays that small.
//
// Requests over IPC (advanced serialization, so the PDF and the text cross as bytes, not JSON arrays):
//   {id, command, args, input, timeoutMs, maxOutputBytes} → {id, code, killedBy, stdout, stderr, limit?, spawnError?}
//   {cancel: id} → that child is killed; its reply follows as for any other end.
// `limit` is 'timeout' or 'output' when this process killed the child for passing one. What the output
// means (pages, encrypted, damaged) is decided by the caller (extract.ts), which keeps the whole policy.
import { spawn } from 'node:child_process';

const STDERR_KEEP = 4_096;

/** Children running, by request id: what a cancel kills. */
const running = new Map();

function run({ id, command, args, input, timeoutMs, maxOutputBytes }) {
  const out = [];
  let outBytes = 0;
  let stderr = '';
  let limit;
  let spawnError;
  let child;
  try {
    child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    process.send({ id, code: null, killedBy: null, stdout: new Uint8Array(), stderr: '', spawnError: describe(error) });
    return;
  }
  const kill = (why) => {
    limit ??= why;
    child.kill('SIGKILL');
  };
  running.set(id, kill);
  const timer = setTimeout(() => kill('timeout'), timeoutMs);
  child.stdout.on('data', (chunk) => {
    outBytes += chunk.length;
    if (outBytes > maxOutputBytes) return kill('output');
    out.push(chunk);
  });
  child.stderr.on('data', (chunk) => {
    if (stderr.length < STDERR_KEEP) stderr += chunk.toString('utf8');
  });
  // The child may exit before reading all of stdin (a damaged file): its exit status tells why.
  child.stdin.on('error', () => undefined);
  child.on('error', (error) => {
    spawnError = describe(error);
  });
  child.on('close', (code, killedBy) => {
    clearTimeout(timer);
    running.delete(id);
    const stdout = limit ? new Uint8Array() : Buffer.concat(out);
    process.send({
      id,
      code,
      killedBy,
      stdout,
      stderr,
      ...(limit ? { limit } : {}),
      ...(spawnError ? { spawnError } : {}),
    });
  });
  child.stdin.end(input);
}

function describe(error) {
  return { code: typeof error?.code === 'string' ? error.code : undefined, message: String(error?.message ?? error) };
}

process.on('message', (message) => {
  if (message.cancel !== undefined) running.get(message.cancel)?.('cancel');
  else run(message);
});
// The caller gone (or done with us): the children go too, and so does this process.
process.on('disconnect', () => {
  for (const kill of running.values()) kill('cancel');
  process.exit(0);
});
