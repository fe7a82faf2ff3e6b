/** Worker-thread entry: runs one share of the typists (typing-loop.ts) and posts the result. */
import { parentPort, workerData } from 'node:worker_threads';
import { runTypingLoop, type TypingLoopOptions } from './typing-loop.js';

if (!parentPort) throw new Error('typing-worker.ts runs as a worker thread (see typing-load.ts)');
parentPort.postMessage(await runTypingLoop(workerData as TypingLoopOptions));
