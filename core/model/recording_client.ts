/**
 * Records a run to a cassette: wraps any ModelClient and appends one JSONL line per completed
 * request (`{step, request, response}`, or `{step, request, error}` when it failed for good), so
 * `ReplayModelClient` can serve the run again offline. Each line is written as soon as its
 * request completes, so a crashed run still leaves a usable prefix.
 */
import { RuntimeError } from "../errors.ts";
import type { CassetteEntry, RecordedFailure } from "./cassette.ts";
import { ModelAbortedError, ModelRequestError } from "./errors.ts";
import type { ChatOptions, ChatRequest, ChatResponse, ModelClient } from "./types.ts";

/** A {@link ModelClient} that writes every exchange of `inner` to a cassette file. */
export class RecordingModelClient implements ModelClient {
  readonly #inner: ModelClient;
  readonly #path: string;
  #step = 0;

  /** Starts a new cassette at `path`, replacing any file there. */
  constructor(inner: ModelClient, path: string) {
    this.#inner = inner;
    this.#path = path;
    Deno.writeTextFileSync(path, "");
  }

  get model(): string {
    return this.#inner.model;
  }

  supportsTools(): boolean | undefined {
    return this.#inner.supportsTools();
  }

  async chat(request: ChatRequest, options?: ChatOptions): Promise<ChatResponse> {
    // A JSON round trip drops undefined fields, as the cassette will.
    const recorded = JSON.parse(JSON.stringify({ ...request, model: request.model ?? this.model }));
    try {
      const response = await this.#inner.chat(request, options);
      this.#append({ step: ++this.#step, request: recorded, response });
      return response;
    } catch (e) {
      // A caller's abort is not an answer of the endpoint; replay would never see it.
      if (!(e instanceof ModelAbortedError)) {
        this.#append({ step: ++this.#step, request: recorded, error: recordFailure(e) });
      }
      throw e;
    }
  }

  #append(entry: CassetteEntry): void {
    Deno.writeTextFileSync(this.#path, JSON.stringify(entry) + "\n", { append: true });
  }
}

function recordFailure(e: unknown): RecordedFailure {
  const message = e instanceof Error ? e.message : String(e);
  const code = e instanceof RuntimeError ? e.code : "model_request_failed";
  if (e instanceof ModelRequestError) {
    return e.status === undefined
      ? { code, message, retryable: e.retryable }
      : { code, message, status: e.status, retryable: e.retryable };
  }
  return { code, message };
}
