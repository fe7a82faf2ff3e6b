/**
 * Text per page from a manual PDF, always in a child process: a hostile or broken PDF that crashes
 * or bloats the parser takes a short-lived child with it, never the gateway or worker. Each child has
 * a hard timeout (SIGKILL), an output cap, and the caller's abort signal. The children are spawned by
 * a small long-lived host process (extract-host.mjs), not by this one: forking a big gateway held its
 * event loop for tens of milliseconds per manual; here the loop only sees one message each way.
 *
 * Two extractors, chosen once per process (`chooseExtractor`):
 *  - poppler's `pdftotext`, the fast path (bench/manuals.ts measures both on the same generated
 *    manual in the same run), patched by the OS vendor;
 *  - pdf.js (`pdfjs-dist`, pure JavaScript) in a Node child with a bounded heap, when `pdftotext` is
 *    not installed, so a bare machine (`npm ci && npm start`) still reads manuals.
 *
 * pdftotext runs with `-raw` (content-stream order), like pdf.js, rather than `-layout` (which pads
 * columns with runs of spaces and splits sentences) or its default reading-order analysis, which on
 * Chromium's two-column pages interleaved the columns line by line (a step, then a line of the other
 * column's prose) and lost steps and cautions of the procedures on them; the generators manuals come
 * from (word processors, layout tools, browsers) write text in reading order.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_TEXT_BYTES, tooManyPages, tooMuchText } from './bounds.js';
import { ManualExtractError } from './errors.js';

export interface ExtractedManual {
  /** pages[0] is page 1. */
  pages: string[];
  pageCount: number;
}

export interface ExtractOptions {
  timeoutMs?: number;
  /** Text beyond this is refused (a small PDF can decompress into gigabytes of text): see ./bounds.ts. */
  maxOutputBytes?: number;
  /** More pages than this are refused; the extractor reads one page past it and stops. */
  maxPages?: number;
  /** Heap cap of the pdf.js child, in MB (pdftotext is native; its output cap bounds it). */
  maxHeapMb?: number;
  /** Aborting kills the child at once: a cancelled job frees its CPU. */
  signal?: AbortSignal;
}

export type Extractor = (pdf: Buffer, options?: ExtractOptions) => Promise<ExtractedManual>;

export const EXTRACT_DEFAULTS = {
  timeoutMs: 30_000,
  maxOutputBytes: MAX_TEXT_BYTES,
  maxHeapMb: 256,
  maxPages: 100_000,
} as const;

const PDFJS_CHILD = fileURLToPath(new URL('./pdfjs-child.mjs', import.meta.url));

function cancelled(signal: AbortSignal): ManualExtractError {
  return new ManualExtractError('extractor_failed', 'reading the manual was cancelled', false, {
    cause: signal.reason,
  });
}

function encrypted(): ManualExtractError {
  return new ManualExtractError(
    'encrypted_pdf',
    'the manual is password-protected (encrypted), so its text cannot be read',
    true,
  );
}

function damaged(detail: string): ManualExtractError {
  return new ManualExtractError('corrupt_pdf', `the manual file is damaged or not a valid PDF (${detail})`, true);
}

function toManual(pages: string[], pdf: Buffer, options: ExtractOptions): ExtractedManual {
  const maxPages = options.maxPages ?? EXTRACT_DEFAULTS.maxPages;
  if (pages.length > maxPages) throw tooManyPages(pdf.length, maxPages);
  if (pages.length === 0)
    throw new ManualExtractError('corrupt_pdf', 'the file has no pages; it is damaged or not a real PDF', true);
  if (pages.every((page) => page.trim() === '')) {
    throw new ManualExtractError(
      'no_text',
      `the manual's ${pages.length} pages hold no text (it is probably scanned images), so it cannot be searched`,
      true,
    );
  }
  return { pages, pageCount: pages.length };
}

function firstLine(stderr: string): string {
  return (
    stderr
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim()
      .slice(0, 200) ?? 'no detail'
  );
}

interface ChildOutcome {
  code: number | null;
  killedBy: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

/** What extract-host.mjs is asked to run, with the limits it enforces. */
interface HostRequest {
  command: string;
  args: string[];
  input: Buffer;
  timeoutMs: number;
  maxOutputBytes: number;
}

/** What extract-host.mjs answers for one child. */
interface HostReply extends Omit<ChildOutcome, 'stdout'> {
  id: number;
  stdout: Uint8Array;
  /** The host killed the child for passing this limit, or because the caller cancelled. */
  limit?: 'timeout' | 'output' | 'cancel';
  spawnError?: { code?: string; message: string };
}

/**
 * The small process that spawns the extractor children (extract-host.mjs says why), started on the
 * first extraction and stopped after a minute without one. If it dies, the extractions it was running
 * fail as retryable and the next one starts a new host; this process only ever sees a message.
 */
const HOST_IDLE_MS = 60_000;
const HOST_MODULE = fileURLToPath(new URL('./extract-host.mjs', import.meta.url));

interface Host {
  child: ChildProcess;
  waiting: Map<number, (reply: HostReply | ManualExtractError) => void>;
  idle?: NodeJS.Timeout;
}
let host: Host | undefined;
let nextRequest = 1;

function startHost(): Host {
  // No execArgv: not tsx's loader nor this process's heap flags; the host needs neither.
  const child = fork(HOST_MODULE, [], {
    execArgv: [],
    serialization: 'advanced',
    // The host writes nothing unless it crashes, and then the operator should read why.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const started: Host = { child, waiting: new Map() };
  child.on('message', (reply: HostReply) => started.waiting.get(reply.id)?.(reply));
  const gone = (why: string) => {
    if (host === started) host = undefined;
    clearTimeout(started.idle);
    // Retryable: the file was not at fault, and the next extraction starts a new host.
    const error = new ManualExtractError('extractor_failed', `the text extraction helper stopped (${why})`, false);
    for (const settle of started.waiting.values()) settle(error);
    started.waiting.clear();
  };
  child.on('error', (error) => {
    gone(error.message);
    child.kill('SIGKILL');
  });
  child.on('exit', (code, signal) => gone(signal ?? `exit ${code}`));
  return started;
}

/** Lets this process exit while nothing is being extracted, and stops the host after a while idle. */
function idleHost(idle: Host): void {
  idle.child.unref();
  idle.child.channel?.unref();
  clearTimeout(idle.idle);
  idle.idle = setTimeout(() => idle.child.connected && idle.child.disconnect(), HOST_IDLE_MS).unref();
}

function runInHost(request: HostRequest, signal: AbortSignal | undefined): Promise<HostReply> {
  // A host disconnected for idleness may not have exited yet: it takes no more work.
  if (!host?.child.connected) host = startHost();
  const current = host;
  const { child, waiting } = current;
  clearTimeout(current.idle);
  child.ref();
  child.channel?.ref();
  const id = nextRequest++;
  return new Promise<HostReply>((resolve, reject) => {
    const onAbort = () => child.connected && child.send({ cancel: id });
    waiting.set(id, (reply) => {
      waiting.delete(id);
      signal?.removeEventListener('abort', onAbort);
      if (waiting.size === 0 && child.connected) idleHost(current);
      if (reply instanceof Error) reject(reply);
      else resolve(reply);
    });
    signal?.addEventListener('abort', onAbort, { once: true });
    child.send({ id, ...request }, (error) => {
      if (error)
        waiting.get(id)?.(
          new ManualExtractError(
            'extractor_failed',
            `the text extraction helper is unreachable (${error.message})`,
            false,
            { cause: error },
          ),
        );
    });
  });
}

/**
 * Runs one extractor child in the host: the PDF on stdin, its output collected under the cap, killed on
 * timeout or abort. `interpret` turns a finished child into pages or throws the error that explains it.
 */
async function runChild<T = ExtractedManual>(
  command: string,
  args: string[],
  pdf: Buffer,
  options: ExtractOptions,
  interpret: (outcome: ChildOutcome) => T,
): Promise<T> {
  const { timeoutMs, maxOutputBytes } = { ...EXTRACT_DEFAULTS, ...options };
  const { signal } = options;
  if (signal?.aborted) throw cancelled(signal);
  const reply = await runInHost({ command, args, input: pdf, timeoutMs, maxOutputBytes }, signal);
  if (reply.limit === 'cancel') throw cancelled(signal!);
  // Permanent: a file that needs more than this once will need it again; retries would only burn workers.
  if (reply.limit === 'timeout')
    throw new ManualExtractError(
      'extractor_failed',
      `reading the manual took longer than ${Math.round(timeoutMs / 1000)} s; the file may be damaged`,
      true,
    );
  if (reply.limit === 'output') throw tooMuchText(pdf.length, maxOutputBytes);
  if (reply.spawnError) {
    const { code, message } = reply.spawnError;
    throw new ManualExtractError(
      'extractor_failed',
      code === 'ENOENT'
        ? `the text extractor ${command} is not installed on this server`
        : `the text extractor could not start (${code ?? message})`,
      false,
    );
  }
  const { code, killedBy, stderr } = reply;
  const stdout = Buffer.from(reply.stdout.buffer, reply.stdout.byteOffset, reply.stdout.byteLength);
  return interpret({ code, killedBy, stdout, stderr });
}

/**
 * The page count from pdfinfo, which reads the page tree and no content: milliseconds even for a bomb of
 * thousands of pages. Undefined when it cannot tell (a damaged or encrypted file: pdftotext says why).
 */
async function pageCount(pdf: Buffer, options: ExtractOptions): Promise<number | undefined> {
  const count = await runChild('pdfinfo', ['fd://0'], pdf, { ...options, maxOutputBytes: 64 * 1024 }, (outcome) =>
    outcome.code === 0 ? Number(/^Pages:\s+(\d+)/m.exec(outcome.stdout.toString('utf8'))?.[1]) : undefined,
  ).catch(() => undefined);
  return Number.isFinite(count) ? count : undefined;
}

/**
 * pdftotext reads the PDF from stdin and writes pages separated by form feeds to stdout. A file with
 * more pages than the bound is refused from pdfinfo's count before any text is read.
 */
export const extractWithPdftotext: Extractor = async (pdf, options = {}) => {
  const maxPages = options.maxPages ?? EXTRACT_DEFAULTS.maxPages;
  if (((await pageCount(pdf, options)) ?? 0) > maxPages) throw tooManyPages(pdf.length, maxPages);
  return runChild(
    'pdftotext',
    // One page past the bound is enough to refuse the file; the rest is never read.
    ['-raw', '-enc', 'UTF-8', '-eol', 'unix', '-l', String(pageLimit(options)), 'fd://0', '-'],
    pdf,
    options,
    ({ code, killedBy, stdout, stderr }) => {
      if (/incorrect password|encrypted/i.test(stderr)) throw encrypted();
      if (code !== 0) throw damaged(killedBy ? `the reader crashed (${killedBy})` : `pdftotext: ${firstLine(stderr)}`);
      // Every page ends with a form feed, so the piece after the last one is not a page.
      const pages = stdout.toString('utf8').split('\f');
      pages.pop();
      return toManual(pages, pdf, options);
    },
  );
};

/** The last page an extractor reads: one past the bound, so a file over it is seen to be over it. */
const pageLimit = (options: ExtractOptions) => (options.maxPages ?? EXTRACT_DEFAULTS.maxPages) + 1;

type PdfjsResult = { ok: true; pages: string[] } | { ok: false; name: string; message: string };

/** pdf.js in a Node child process whose heap is capped: a bomb ends that process, not ours. */
export const extractWithPdfjs: Extractor = (pdf, options = {}) => {
  const maxHeapMb = options.maxHeapMb ?? EXTRACT_DEFAULTS.maxHeapMb;
  return runChild(
    process.execPath,
    [`--max-old-space-size=${maxHeapMb}`, '--max-semi-space-size=16', PDFJS_CHILD, String(pageLimit(options))],
    pdf,
    options,
    ({ code, killedBy, stdout, stderr }) => {
      let result: PdfjsResult | undefined;
      try {
        result = JSON.parse(stdout.toString('utf8')) as PdfjsResult;
      } catch {
        // No verdict written: the child died (out of memory, killed, crashed).
        result = undefined;
      }
      if (!result) {
        const how = killedBy
          ? `the reader was stopped (${killedBy})`
          : /heap out of memory|allocation failed/i.test(stderr)
            ? `reading it needed more than ${maxHeapMb} MB of memory`
            : `the reader crashed (exit ${code})`;
        throw damaged(how);
      }
      if (!result.ok) {
        if (result.name === 'PasswordException') throw encrypted();
        if (result.name === 'TooManyPages')
          throw tooManyPages(pdf.length, options.maxPages ?? EXTRACT_DEFAULTS.maxPages);
        throw damaged(`pdf.js: ${result.message.slice(0, 200)}`);
      }
      return toManual(result.pages, pdf, options);
    },
  );
};

export interface ChosenExtractor {
  name: 'pdftotext' | 'pdfjs';
  extract: Extractor;
}

/** Whether an executable of this name is on PATH (what spawn would find). */
async function onPath(command: string, path = process.env.PATH ?? ''): Promise<boolean> {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    try {
      await access(join(dir, command), fsConstants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

/** pdftotext when it is installed (the fast path), pdf.js otherwise. */
export async function chooseExtractor(path?: string): Promise<ChosenExtractor> {
  return (await onPath('pdftotext', path))
    ? { name: 'pdftotext', extract: extractWithPdftotext }
    : { name: 'pdfjs', extract: extractWithPdfjs };
}
