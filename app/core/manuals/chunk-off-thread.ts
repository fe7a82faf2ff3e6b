/**
 * `chunkPages` in a worker thread of its own, started for one manual and ended with it: chunking a big
 * manual on the main thread stalled every socket of the gateway (issue #24, finding 4), and a thread
 * whose heap is capped takes a pathological text down alone. The thread's cost, tens of milliseconds
 * to start, is small next to a download and an extraction.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ChunkOptions, ManualChunk } from './chunk.js';
import { ManualExtractError } from './errors.js';

/** The thread's heap cap: chunks of the largest text the bounds allow fit many times over. */
const THREAD_HEAP_MB = 256;

/**
 * The thread's entry. Compiled (the image), it is plain JavaScript next to this file; run from source
 * (tsx, vitest) the thread first registers tsx, which the main thread's loader does not reach.
 */
function startThread(workerData: unknown): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: THREAD_HEAP_MB };
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./chunk-thread.js', import.meta.url), { workerData, resourceLimits });
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href;
  const entry = new URL('./chunk-thread.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(bootstrap, { eval: true, workerData, resourceLimits });
}

export function chunkOffThread(
  pages: readonly string[],
  options: ChunkOptions = {},
  signal?: AbortSignal,
): Promise<ManualChunk[]> {
  return new Promise<ManualChunk[]>((resolve, reject) => {
    const thread = startThread({ pages, options });
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void thread.terminate();
      outcome();
    };
    const failed = (why: string, cause?: unknown) =>
      new ManualExtractError('extractor_failed', `splitting the manual into passages failed (${why})`, false, {
        cause,
      });
    const onAbort = () =>
      settle(() => reject(new ManualExtractError('extractor_failed', 'reading the manual was cancelled', false)));
    signal?.addEventListener('abort', onAbort, { once: true });
    thread.once('message', (chunks: ManualChunk[]) => settle(() => resolve(chunks)));
    thread.once('error', (error) =>
      settle(() =>
        reject(
          (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new ManualExtractError('too_many_chunks', 'the manual needs too much memory to split into passages', true)
            : failed(error.message, error),
        ),
      ),
    );
    thread.once('exit', (code) => settle(() => reject(failed(`the thread ended with ${code}`))));
  });
}
