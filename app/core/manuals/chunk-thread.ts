/**
 * The chunker's worker thread (./chunk-off-thread.ts starts it): pages in, chunks out, once. A manual
 * of tens of megabytes of text takes seconds to chunk; here that time is off the event loop that
 * serves the sockets.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { chunkPages, type ChunkOptions } from './chunk.js';

const { pages, options } = workerData as { pages: string[]; options: ChunkOptions };
parentPort?.postMessage(chunkPages(pages, options));
