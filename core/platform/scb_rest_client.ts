/**
 * The SCB over the NeuroSync Local API's REST routes (`/scb/ping`, `/scb/slice`, `/scb/event`,
 * `/scb/directive`), with the `X-NeuroSync-Key` header when a key is configured. Each request
 * has a timeout; a failure is a {@link ScbError} naming the route and status.
 */
import { ScbError } from "./platform_errors.ts";
import {
  directiveEntry,
  parseStoredEntry,
  type ScbDirectiveInput,
  type ScbEntry,
  type ScbEventInput,
  type ScbService,
  type ScbSlice,
  toEntry,
} from "./scb_entry.ts";

/** Settings of {@link RestScbClient}. */
export interface RestScbOptions {
  /** Base URL of the Local API, e.g. http://neurosync:5000. */
  baseUrl: string;
  apiKey?: string | undefined;
  /** Per-request timeout; default 10 s. */
  timeoutMs?: number;
}

/** The SCB through HTTP. */
export class RestScbClient implements ScbService {
  readonly #base: string;
  readonly #apiKey: string | undefined;
  readonly #timeoutMs: number;

  constructor(options: RestScbOptions) {
    this.#base = options.baseUrl.replace(/\/+$/, "");
    this.#apiKey = options.apiKey;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

  async ping(): Promise<boolean> {
    try {
      const body = await this.#request("GET", "/scb/ping") as { status?: string };
      return body.status === "ok";
    } catch {
      return false;
    }
  }

  async slice(tokens = 600): Promise<ScbSlice> {
    const body = await this.#request("GET", `/scb/slice?tokens=${Math.max(1, Math.floor(tokens))}`);
    const raw = body as { summary?: unknown; window?: unknown };
    const window = Array.isArray(raw.window)
      ? raw.window.map((e) => parseStoredEntry(JSON.stringify(e))).filter((e) => e !== undefined)
      : [];
    return { summary: typeof raw.summary === "string" ? raw.summary : "", window };
  }

  async event(input: ScbEventInput): Promise<ScbEntry> {
    const entry = toEntry(input);
    await this.#request("POST", "/scb/event", entry);
    return entry;
  }

  async directive(d: ScbDirectiveInput): Promise<ScbEntry> {
    const entry = directiveEntry(d);
    await this.#request("POST", "/scb/directive", {
      text: entry.text,
      actor: entry.actor,
      ttl: entry.ttl,
    });
    return entry;
  }

  async #request(method: "GET" | "POST", path: string, body?: unknown): Promise<unknown> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (this.#apiKey) headers["X-NeuroSync-Key"] = this.#apiKey;
    let res: Response;
    try {
      res = await fetch(this.#base + path, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (e) {
      throw new ScbError(`SCB ${method} ${path} failed: ${(e as Error).message}`, undefined, {
        cause: e,
      });
    }
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = { raw: text.slice(0, 200) };
    }
    if (!res.ok) {
      const error = (parsed as { error?: unknown }).error ?? text.slice(0, 200);
      throw new ScbError(`SCB ${method} ${path} answered ${res.status}: ${error}`, res.status);
    }
    return parsed;
  }
}
