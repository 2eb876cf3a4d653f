/** Behaviour of the retry policy: jittered backoff, retry-after, what is retried. */
import assert from "node:assert/strict";
import { ModelAbortedError, ModelRequestError } from "./errors.ts";
import { backoffDelay, isRetryableStatus, parseRetryAfter, withRetry } from "./retry.ts";

const retryable = (e: unknown) => ({ retryable: e instanceof ModelRequestError && e.retryable });

Deno.test("backoff is full jitter under a doubling ceiling capped at maxDelayMs", () => {
  const policy = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999 };
  assert.deepEqual([0, 1, 2, 3, 4].map((n) => backoffDelay(n, policy)), [99, 199, 399, 799, 999]);
  assert.equal(backoffDelay(3, { ...policy, random: () => 0 }), 0);
});

Deno.test("retry-after is read in seconds, as a date, or from retry-after-ms", () => {
  assert.equal(parseRetryAfter(new Headers({ "retry-after": "3" })), 3000);
  assert.equal(parseRetryAfter(new Headers({ "retry-after-ms": "250", "retry-after": "3" })), 250);
  const now = Date.parse("2026-01-01T00:00:00Z");
  assert.equal(
    parseRetryAfter(new Headers({ "retry-after": "Thu, 01 Jan 2026 00:00:05 GMT" }), now),
    5000,
  );
  assert.equal(parseRetryAfter(new Headers({ "retry-after": "soon" })), undefined);
  assert.equal(parseRetryAfter(undefined), undefined);
});

Deno.test("429 and 5xx are retryable; 400, 401, 403, 404 and 422 are not", () => {
  assert.deepEqual([429, 500, 502, 503, 408].map(isRetryableStatus), [
    true,
    true,
    true,
    true,
    true,
  ]);
  assert.deepEqual([400, 401, 403, 404, 422].map(isRetryableStatus), [
    false,
    false,
    false,
    false,
    false,
  ]);
});

Deno.test("withRetry stops at the first final error", async () => {
  let calls = 0;
  const fail = () => {
    calls++;
    return Promise.reject(new ModelRequestError("bad request", { status: 400, retryable: false }));
  };
  await assert.rejects(
    withRetry(fail, retryable, { maxRetries: 3, sleep: () => Promise.resolve() }),
    /bad request$/,
  );
  assert.equal(calls, 1);
});

Deno.test("withRetry stops waiting when the caller aborts during backoff", async () => {
  const controller = new AbortController();
  let calls = 0;
  const fail = () => {
    calls++;
    return Promise.reject(new ModelRequestError("busy", { status: 503, retryable: true }));
  };
  const sleep = () => {
    controller.abort();
    return Promise.resolve();
  };
  await assert.rejects(
    withRetry(fail, retryable, { maxRetries: 3, sleep, signal: controller.signal }),
    ModelAbortedError,
  );
  assert.equal(calls, 1);
});
