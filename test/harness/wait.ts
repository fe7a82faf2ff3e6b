/** Polling until a condition holds, with a timeout message that says what was awaited and the last error seen. */
export interface WaitOptions {
  /** Named in the timeout error: "timed out after 15000 ms waiting for <what>". */
  what: string;
  timeoutMs?: number;
  intervalMs?: number;
  /** Gives up at once, throwing signal.reason, when aborted (e.g. the process being waited on has died). */
  signal?: AbortSignal;
}

export async function waitFor(check: () => Promise<boolean> | boolean, options: WaitOptions): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      if (await check()) return;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const detail = lastError
        ? ` (last error: ${lastError instanceof Error ? lastError.message : String(lastError)})`
        : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${options.what}${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 50));
  }
}
