/**
 * The retry policy of the gateway: exponential backoff with full jitter on 429, 5xx, dropped
 * connections and timeouts; never on 4xx answers that a retry will not change. `retry-after`
 * is honoured. Sleep and randomness are injectable so tests neither wait nor guess.
 */
import { ModelAbortedError, ModelRequestError } from "./errors.ts";

/** Settings of {@link withRetry}. */
export interface RetryPolicy {
  /** Retries after the first attempt; 0 = one attempt only. */
  maxRetries: number;
  /** First backoff ceiling in ms; doubles per attempt. Default 500. */
  baseDelayMs?: number;
  /** Largest backoff ceiling and largest honoured `retry-after`, in ms. Default 30 000. */
  maxDelayMs?: number;
  /** Waits `ms`; rejects or resolves early when `signal` aborts. Default: a real timer. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** A number in [0, 1). Default Math.random. */
  random?: () => number;
}

/** What an attempt failed with, as the policy sees it. */
export interface FailureClass {
  retryable: boolean;
  /** Delay the server asked for (from `retry-after` / `retry-after-ms`), in ms. */
  retryAfterMs?: number | undefined;
}

/** Full jitter: a uniform delay in [0, min(max, base·2^attempt)); `attempt` counts from 0. */
export function backoffDelay(attempt: number, policy: RetryPolicy): number {
  const base = policy.baseDelayMs ?? 500;
  const cap = Math.min(policy.maxDelayMs ?? 30_000, base * 2 ** attempt);
  return Math.floor((policy.random ?? Math.random)() * cap);
}

/** Parses `retry-after-ms`, or `retry-after` in seconds or as an HTTP date, into ms. */
export function parseRetryAfter(
  headers: Headers | undefined,
  now = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  const ms = Number(headers.get("retry-after-ms") ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get("retry-after");
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** HTTP statuses worth another attempt: 408, 409 (lock), 429 and every 5xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * Runs `attempt` until it succeeds, `classify` calls its error final, or retries run out.
 * The error thrown at the end is the last attempt's, with `attempts` set when it is a
 * {@link ModelRequestError}.
 */
export async function withRetry<T>(
  attempt: (n: number) => Promise<T>,
  classify: (error: unknown) => FailureClass,
  policy: RetryPolicy & {
    signal?: AbortSignal | undefined;
    onRetry?: ((info: { attempt: number; delayMs: number; error: Error }) => void) | undefined;
  },
): Promise<T> {
  const sleep = policy.sleep ?? abortableSleep;
  for (let n = 0;; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (policy.signal?.aborted) throw new ModelAbortedError();
      const failure = classify(error);
      if (!failure.retryable || n >= policy.maxRetries) throw withAttempts(error, n + 1);
      const jitter = backoffDelay(n, policy);
      const delayMs = failure.retryAfterMs === undefined
        ? jitter
        : Math.min(failure.retryAfterMs, policy.maxDelayMs ?? 30_000);
      const err = error instanceof Error ? error : new Error(String(error));
      policy.onRetry?.({ attempt: n + 1, delayMs, error: err });
      await sleep(delayMs, policy.signal);
      if (policy.signal?.aborted) throw new ModelAbortedError();
    }
  }
}

function withAttempts(error: unknown, attempts: number): unknown {
  if (!(error instanceof ModelRequestError) || attempts === 1) return error;
  const message = `${error.message} (after ${attempts} attempts)`;
  return new ModelRequestError(message, {
    status: error.status,
    retryable: error.retryable,
    attempts,
  }, { cause: error.cause });
}

/** A timer that resolves after `ms`, or at once when `signal` aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
