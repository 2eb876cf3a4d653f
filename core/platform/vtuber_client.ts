/**
 * The avatar's speech endpoint (`POST ${VTUBER_ENDPOINT_URL}`, NeuroSync Player /process_text).
 * The call blocks until the avatar's own LLM has replied and interrupts speech already playing,
 * so: one request in flight at a time (later calls wait their turn), a generous timeout, and no
 * retry of a request that may have been spoken. 403 (job window closed) starts a backoff during
 * which calls are answered locally without sending; 400 and 500 are reported as they are.
 */
import { autonomousContext, type SpeechContextInput } from "./speech_context.ts";

/** What became of one speech request. `sent` is false when nothing went over the wire. */
export type SpeakOutcome =
  | { status: "accepted"; sent: true; httpStatus: number; reply: unknown; ms: number }
  | { status: "window_closed"; sent: boolean; httpStatus: 403; message: string; retryInMs: number }
  | { status: "rejected"; sent: true; httpStatus: number; message: string; ms: number }
  | { status: "failed"; sent: boolean; httpStatus?: number; message: string; ms: number };

/** Settings of {@link VtuberClient}. */
export interface VtuberClientOptions {
  /** VTUBER_ENDPOINT_URL (full) or VTUBER_ENDPOINT (base); see {@link speechUrl}. */
  url: string;
  agentName?: string;
  /** Loop interval, sent as `next_cycle_seconds`. */
  loopIntervalMs?: number;
  /** Default 120 s: the avatar's LLM answers before the request returns. */
  timeoutMs?: number;
  /** First 403 backoff; doubled per consecutive 403 up to `maxBackoffMs`. Default 5 s. */
  backoffMs?: number;
  maxBackoffMs?: number;
  now?: () => number;
}

/** The full speech URL: a base URL gets `/process_text`, a full one is kept (never doubled). */
export function speechUrl(url: string): string {
  const u = new URL(url);
  if (u.pathname === "/" || u.pathname === "") u.pathname = "/process_text";
  return u.toString();
}

/** One speech request at a time to the avatar. */
export class VtuberClient {
  readonly url: string;
  readonly #o: Required<Omit<VtuberClientOptions, "url">>;
  #queue: Promise<unknown> = Promise.resolve();
  #closedUntil = 0;
  #consecutive403 = 0;
  #inFlight = 0;

  constructor(options: VtuberClientOptions) {
    this.url = speechUrl(options.url);
    this.#o = {
      agentName: options.agentName ?? "Autoliza",
      loopIntervalMs: options.loopIntervalMs ?? 30_000,
      timeoutMs: options.timeoutMs ?? 120_000,
      backoffMs: options.backoffMs ?? 5_000,
      maxBackoffMs: options.maxBackoffMs ?? 60_000,
      now: options.now ?? Date.now,
    };
  }

  /** Requests waiting or running (at most one is running). */
  get pending(): number {
    return this.#inFlight;
  }

  /** Speaks `text`; `context` selects a suggestion (default) or a manager directive. */
  speak(text: string, context: SpeechContextInput = {}): Promise<SpeakOutcome> {
    if (typeof text !== "string" || !text.trim()) {
      return Promise.reject(new TypeError("Cannot speak: 'text' must be a non-empty string"));
    }
    this.#inFlight++;
    const run = this.#queue.then(() => this.#send(text, context));
    this.#queue = run.catch(() => {});
    return run.finally(() => this.#inFlight--);
  }

  async #send(text: string, context: SpeechContextInput): Promise<SpeakOutcome> {
    const now = this.#o.now();
    if (now < this.#closedUntil) {
      return {
        status: "window_closed",
        sent: false,
        httpStatus: 403,
        message: "job window closed (backing off, not sent)",
        retryInMs: this.#closedUntil - now,
      };
    }
    const body = {
      text,
      autonomous_context: autonomousContext({
        agentName: this.#o.agentName,
        loopIntervalMs: this.#o.loopIntervalMs,
        ...context,
      }),
    };
    const start = performance.now();
    const ms = () => Math.round(performance.now() - start);
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.#o.timeoutMs),
      });
    } catch (e) {
      const timeout = (e as Error).name === "TimeoutError";
      return {
        status: "failed",
        sent: true,
        message: timeout
          ? `no reply within ${this.#o.timeoutMs} ms (it may have been spoken; not retried)`
          : `request failed: ${(e as Error).message}`,
        ms: ms(),
      };
    }
    const reply = await readJson(res);
    const error = typeof (reply as { error?: unknown }).error === "string"
      ? (reply as { error: string }).error
      : `HTTP ${res.status}`;
    if (res.ok) {
      this.#consecutive403 = 0;
      return { status: "accepted", sent: true, httpStatus: res.status, reply, ms: ms() };
    }
    if (res.status === 403) {
      const wait = Math.min(this.#o.backoffMs * 2 ** this.#consecutive403, this.#o.maxBackoffMs);
      this.#consecutive403++;
      this.#closedUntil = this.#o.now() + wait;
      return {
        status: "window_closed",
        sent: true,
        httpStatus: 403,
        message: error,
        retryInMs: wait,
      };
    }
    if (res.status >= 400 && res.status < 500) {
      return { status: "rejected", sent: true, httpStatus: res.status, message: error, ms: ms() };
    }
    return { status: "failed", sent: true, httpStatus: res.status, message: error, ms: ms() };
  }
}

async function readJson(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return { raw: text.slice(0, 200) };
  }
}
