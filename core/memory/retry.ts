/**
 * Retrying a database operation when the connection went away. A write is either retried until
 * it commits or reported as {@link MemoryUnavailableError}; it is never dropped silently.
 */
import { MemoryUnavailableError } from "./errors.ts";
import { isTransientDbError } from "./sql_client.ts";

/** Retry policy. */
export interface RetryPolicy {
  /** Total attempts including the first; default 3. */
  attempts?: number;
  /** Delay before the second attempt, doubled after; default 200 ms. */
  backoffMs?: number;
}

/** Runs `fn`, retrying transient database errors; other errors pass through unchanged. */
export async function withRetry<T>(
  operation: string,
  fn: () => Promise<T>,
  policy: RetryPolicy = {},
): Promise<T> {
  const attempts = Math.max(1, policy.attempts ?? 3);
  let delay = policy.backoffMs ?? 200;
  for (let attempt = 1;; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (!isTransientDbError(e)) throw e;
      if (attempt >= attempts) throw new MemoryUnavailableError(operation, e, attempt);
      await new Promise((r) => setTimeout(r, delay));
      delay *= 2;
    }
  }
}
