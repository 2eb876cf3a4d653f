/**
 * Embeddings from any OpenAI-compatible `POST {baseUrl}/embeddings` endpoint: batches of texts,
 * retries with backoff on 429/5xx/network errors, and an in-process cache keyed by the SHA-256
 * of model + text so unchanged content is never embedded twice.
 */
import { type Embedder, normalize } from "./embedder.ts";
import { EmbeddingError } from "./errors.ts";
import { redactUrl } from "../redact.ts";

/** Options for {@link HttpEmbedder}. */
export interface HttpEmbedderOptions {
  baseUrl: string;
  model: string;
  dim: number;
  apiKey?: string;
  /** Texts per request; default 64. */
  batchSize?: number;
  /** Retries after the first attempt; default 3. */
  retries?: number;
  /** First backoff delay; doubled each retry. Default 500 ms. */
  backoffMs?: number;
  /** Cached vectors kept (least recently used dropped first); default 10,000. */
  cacheSize?: number;
  fetch?: typeof fetch;
}

/** The `embedding.*` config's endpoint client, or undefined when its URL or model is unset. */
export function httpEmbedderFromConfig(
  e: {
    baseUrl?: string | undefined;
    model?: string | undefined;
    apiKey?: string | undefined;
    dim: number;
  },
): HttpEmbedder | undefined {
  if (!e.baseUrl || !e.model) return undefined;
  return new HttpEmbedder({
    baseUrl: e.baseUrl,
    model: e.model,
    dim: e.dim,
    ...(e.apiKey ? { apiKey: e.apiKey } : {}),
  });
}

/** An OpenAI-compatible embedding client. */
export class HttpEmbedder implements Embedder {
  readonly model: string;
  readonly dim: number;
  readonly #o: HttpEmbedderOptions;
  readonly #cache = new Map<string, number[]>();
  /** Number of HTTP requests made; for tests and stats. */
  requests = 0;

  constructor(options: HttpEmbedderOptions) {
    this.#o = options;
    this.model = options.model;
    this.dim = options.dim;
  }

  /** Embeds texts, serving repeats from the cache. */
  async embed(texts: string[]): Promise<number[][]> {
    const keys = await Promise.all(texts.map((t) => sha256(`${this.model}\n${t}`)));
    const out: (number[] | undefined)[] = keys.map((k) => this.#hit(k));
    const missing = [...new Set(keys.filter((_, i) => !out[i]))];
    const textOf = new Map(keys.map((k, i) => [k, texts[i]!]));
    const size = this.#o.batchSize ?? 64;
    for (let i = 0; i < missing.length; i += size) {
      const batchKeys = missing.slice(i, i + size);
      const vectors = await this.#request(batchKeys.map((k) => textOf.get(k)!));
      batchKeys.forEach((k, j) => this.#put(k, vectors[j]!));
    }
    return keys.map((k, i) => out[i] ?? this.#cache.get(k)!);
  }

  #hit(key: string): number[] | undefined {
    const v = this.#cache.get(key);
    if (v) {
      this.#cache.delete(key);
      this.#cache.set(key, v);
    }
    return v;
  }

  #put(key: string, v: number[]): void {
    this.#cache.set(key, v);
    const max = this.#o.cacheSize ?? 10_000;
    while (this.#cache.size > max) this.#cache.delete(this.#cache.keys().next().value!);
  }

  async #request(input: string[]): Promise<number[][]> {
    const url = `${this.#o.baseUrl.replace(/\/+$/, "")}/embeddings`;
    const retries = this.#o.retries ?? 3;
    let delay = this.#o.backoffMs ?? 500;
    let last: unknown;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) {
        await new Promise((r) => setTimeout(r, delay));
        delay *= 2;
      }
      this.requests++;
      let res: Response;
      try {
        res = await (this.#o.fetch ?? fetch)(url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            ...(this.#o.apiKey ? { authorization: `Bearer ${this.#o.apiKey}` } : {}),
          },
          body: JSON.stringify({ model: this.model, input, encoding_format: "float" }),
        });
      } catch (e) {
        last = e;
        continue;
      }
      if (res.status === 429 || res.status >= 500) {
        last = new Error(`HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`);
        continue;
      }
      if (!res.ok) {
        throw new EmbeddingError(
          `Embedding endpoint ${redactUrl(url)} answered HTTP ${res.status}: ${
            (await res.text()).slice(0, 200)
          }`,
        );
      }
      return this.#parse(await res.json(), input.length, url);
    }
    throw new EmbeddingError(
      `Embedding endpoint ${redactUrl(url)} failed after ${retries + 1} attempts: ${String(last)}`,
      { cause: last },
    );
  }

  #parse(body: unknown, n: number, url: string): number[][] {
    const data = (body as { data?: { index?: number; embedding?: unknown }[] })?.data;
    if (!Array.isArray(data) || data.length !== n) {
      throw new EmbeddingError(
        `Embedding endpoint ${redactUrl(url)} returned ${data?.length} vectors for ${n}`,
      );
    }
    const out: number[][] = new Array(n);
    data.forEach((d, i) => {
      const v = d.embedding;
      if (!Array.isArray(v) || v.length !== this.dim) {
        throw new EmbeddingError(
          `Embedding endpoint ${redactUrl(url)} returned a vector of length ${
            Array.isArray(v) ? v.length : typeof v
          }, expected ${this.dim} (check embedding.dim and the model)`,
        );
      }
      out[d.index ?? i] = normalize(v.map(Number));
    });
    return out;
  }
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
