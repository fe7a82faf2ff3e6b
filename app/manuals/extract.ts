/**
 * Text per page from a manual PDF, off the event loop.
 *
 * The choice: poppler's `pdftotext` in a child process (`extractManual`). bench/manuals.ts measures
 * both candidates on the same generated 100-page manual in the same run; pdftotext was the faster
 * there (figures in the bench output), and it is the safer one for files from the internet:
 *  - a hostile or broken PDF that crashes or bloats the parser takes a short-lived child process with
 *    it, not the worker's heap (a worker thread shares the process, and pdf.js runs font and image
 *    code in it);
 *  - pdfjs-dist 5.6.205 is the last release for Node 20 and scanners flag it (CVE-2026-16633, fixed
 *    only in 6.2.108, which needs Node 22); poppler is patched by the OS vendor;
 *  - the child has a hard timeout (SIGKILL) and an output cap, and the gateway's loop only sees pipe reads.
 * pdf.js in a worker thread (`extractWithPdfjs`) stays as the measured peer.
 *
 * The default (reading-order) mode is used rather than `-layout`: layout mode pads columns with runs
 * of spaces, which splits sentences that the chunker and the extractive answers need whole.
 */
import { spawn } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { ManualExtractError } from './errors.js';

export interface ExtractedManual {
  /** pages[0] is page 1. */
  pages: string[];
  pageCount: number;
}

export interface ExtractOptions {
  timeoutMs?: number;
  /** Text beyond this is refused (a small PDF can decompress into gigabytes of text). */
  maxOutputBytes?: number;
  /** Aborting kills the child (or ends the worker thread) at once: a cancelled job frees its CPU. */
  signal?: AbortSignal;
}

function cancelled(signal: AbortSignal): ManualExtractError {
  return new ManualExtractError('extractor_failed', 'reading the manual was cancelled', false, {
    cause: signal.reason,
  });
}

export type Extractor = (pdf: Buffer, options?: ExtractOptions) => Promise<ExtractedManual>;

export const EXTRACT_DEFAULTS = { timeoutMs: 30_000, maxOutputBytes: 32 * 1024 * 1024 } as const;

const STDERR_KEEP = 4_096;

function toManual(pages: string[]): ExtractedManual {
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

/** pdftotext reads the PDF from stdin and writes pages separated by form feeds to stdout. */
export const extractWithPdftotext: Extractor = (pdf, options = {}) => {
  const { timeoutMs, maxOutputBytes } = { ...EXTRACT_DEFAULTS, ...options };
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(cancelled(signal));
  return new Promise<ExtractedManual>((resolve, reject) => {
    const child = spawn('pdftotext', ['-enc', 'UTF-8', '-eol', 'unix', 'fd://0', '-'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let outBytes = 0;
    let stderr = '';
    let failure: ManualExtractError | undefined;
    const stop = (error: ManualExtractError) => {
      failure ??= error;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(
      // Permanent: a file that needs more than this once will need it again; retries would only burn workers.
      () =>
        stop(
          new ManualExtractError(
            'extractor_failed',
            `reading the manual took longer than ${Math.round(timeoutMs / 1000)} s; the file may be damaged`,
            true,
          ),
        ),
      timeoutMs,
    );
    const onAbort = () => stop(cancelled(signal!));
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > maxOutputBytes) {
        return stop(
          new ManualExtractError(
            'extractor_failed',
            `the manual produced more than ${Math.round(maxOutputBytes / 1048576)} MB of text, which is refused`,
            true,
          ),
        );
      }
      out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < STDERR_KEEP) stderr += chunk.toString('utf8');
    });
    // The child may exit before reading all of stdin (a damaged file): its exit status tells why.
    child.stdin.on('error', () => undefined);
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      reject(
        error.code === 'ENOENT'
          ? new ManualExtractError(
              'extractor_failed',
              'pdftotext is not installed on this server (Debian package poppler-utils)',
              false,
              { cause: error },
            )
          : new ManualExtractError(
              'extractor_failed',
              `the text extractor could not start (${error.code ?? error.message})`,
              false,
              { cause: error },
            ),
      );
    });
    child.on('close', (code, killedBy) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (failure) return reject(failure);
      if (/incorrect password|encrypted/i.test(stderr)) {
        return reject(
          new ManualExtractError(
            'encrypted_pdf',
            'the manual is password-protected (encrypted), so its text cannot be read',
            true,
          ),
        );
      }
      if (code !== 0) {
        const how = killedBy ? `the reader crashed (${killedBy})` : `pdftotext: ${firstLine(stderr)}`;
        return reject(
          new ManualExtractError('corrupt_pdf', `the manual file is damaged or not a valid PDF (${how})`, true),
        );
      }
      const text = Buffer.concat(out, outBytes).toString('utf8');
      // Every page ends with a form feed, so the piece after the last one is not a page.
      const pages = text.split('\f');
      pages.pop();
      try {
        resolve(toManual(pages));
      } catch (error) {
        reject(error);
      }
    });
    child.stdin.end(pdf);
  });
};

/** pdf.js in a worker thread: the measured alternative (see the comment at the top). */
export const extractWithPdfjs: Extractor = (pdf, options = {}) => {
  const { timeoutMs, maxOutputBytes } = { ...EXTRACT_DEFAULTS, ...options };
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(cancelled(signal));
  return new Promise<ExtractedManual>((resolve, reject) => {
    const worker = new Worker(new URL('./pdfjs-worker.mjs', import.meta.url), {
      workerData: { data: new Uint8Array(pdf) },
      resourceLimits: { maxOldGenerationSizeMb: 512 },
    });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      fn();
    };
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new ManualExtractError(
              'extractor_failed',
              `reading the manual took longer than ${Math.round(timeoutMs / 1000)} s; the file may be damaged`,
              true,
            ),
          ),
        ),
      timeoutMs,
    );
    const onAbort = () => finish(() => reject(cancelled(signal!)));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: { ok: true; pages: string[] } | { ok: false; name: string; message: string }) =>
      finish(() => {
        if (!message.ok) {
          if (message.name === 'PasswordException')
            return reject(
              new ManualExtractError(
                'encrypted_pdf',
                'the manual is password-protected (encrypted), so its text cannot be read',
                true,
              ),
            );
          return reject(
            new ManualExtractError(
              'corrupt_pdf',
              `the manual file is damaged or not a valid PDF (pdf.js: ${message.message.slice(0, 200)})`,
              true,
            ),
          );
        }
        if (message.pages.reduce((n, page) => n + page.length, 0) > maxOutputBytes) {
          return reject(
            new ManualExtractError(
              'extractor_failed',
              `the manual produced more than ${Math.round(maxOutputBytes / 1048576)} MB of text, which is refused`,
              true,
            ),
          );
        }
        try {
          resolve(toManual(message.pages));
        } catch (error) {
          reject(error);
        }
      }),
    );
    worker.on('error', (error) =>
      finish(() =>
        reject(
          new ManualExtractError(
            'corrupt_pdf',
            `the PDF reader failed on this file (${error.message.slice(0, 200)})`,
            true,
            { cause: error },
          ),
        ),
      ),
    );
    worker.on('exit', (code) =>
      finish(() =>
        reject(new ManualExtractError('extractor_failed', `the PDF reader stopped unexpectedly (exit ${code})`, false)),
      ),
    );
  });
};

/** The extractor the pipeline uses. */
export const extractManual: Extractor = extractWithPdftotext;
