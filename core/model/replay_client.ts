/**
 * Replays a cassette offline and deterministically, like AutoGen's ReplayChatCompletionClient:
 * each request must equal a recorded one, and gets the recorded response (or error) back. The
 * next recorded step is expected; a later unused step with an identical request is accepted too,
 * so concurrent sub-agent calls may interleave differently. Anything else is a divergence.
 */
import {
  canonicalJson,
  type CassetteEntry,
  readCassette,
  type RecordedFailure,
  requestDiff,
} from "./cassette.ts";
import {
  CassetteDivergenceError,
  ModelAbortedError,
  ModelRequestError,
  ModelTimeoutError,
} from "./errors.ts";
import type { ChatOptions, ChatRequest, ChatResponse, ModelClient } from "./types.ts";

/** A {@link ModelClient} that answers from a cassette file and never touches the network. */
export class ReplayModelClient implements ModelClient {
  readonly model: string;
  readonly #path: string;
  readonly #entries: CassetteEntry[];
  readonly #used: boolean[];

  /** Loads `path`; `model` is the default for requests naming none (default: the recorded one). */
  constructor(path: string, options: { model?: string } = {}) {
    this.#path = path;
    this.#entries = readCassette(path);
    this.#used = this.#entries.map(() => false);
    this.model = options.model ?? this.#entries[0]?.request.model ?? "replay";
  }

  supportsTools(): boolean | undefined {
    const last = this.#entries.findLast((e) => "response" in e && e.request.tools?.length);
    return last && "response" in last ? last.response.toolMode === "native" : undefined;
  }

  /** How many recorded steps have not been served yet. */
  remaining(): number {
    return this.#used.filter((u) => !u).length;
  }

  chat(request: ChatRequest, options: ChatOptions = {}): Promise<ChatResponse> {
    if (options.signal?.aborted) return Promise.reject(new ModelAbortedError());
    const actual = JSON.parse(JSON.stringify({ ...request, model: request.model ?? this.model }));
    const key = canonicalJson(actual);
    const next = this.#used.indexOf(false);
    if (next === -1) {
      const error = new CassetteDivergenceError(
        `Replay of cassette "${this.#path}" ran out of recorded steps: request ${
          this.#entries.length + 1
        } was made but the cassette holds ${this.#entries.length}`,
      );
      return Promise.reject(error);
    }
    let index = next;
    if (canonicalJson(this.#entries[next]!.request) !== key) {
      index = this.#entries.findIndex((e, i) => !this.#used[i] && canonicalJson(e.request) === key);
    }
    if (index === -1) {
      const expected = this.#entries[next]!;
      const diff = requestDiff(expected.request, actual).map((d) => `\n  ${d}`).join("");
      const error = new CassetteDivergenceError(
        `Replay diverged from cassette "${this.#path}" at step ${expected.step}: ` +
          `the request differs from the recorded one:${diff}`,
      );
      return Promise.reject(error);
    }
    this.#used[index] = true;
    const entry = this.#entries[index]!;
    if ("error" in entry) return Promise.reject(replayedError(entry.error));
    const response = structuredClone(entry.response);
    if (options.onDelta && response.message.content) options.onDelta(response.message.content);
    return Promise.resolve(response);
  }
}

function replayedError(e: RecordedFailure): Error {
  if (e.code === "model_timeout") {
    return new ModelTimeoutError(Number(/(\d+) ms/.exec(e.message)?.[1] ?? 0));
  }
  return new ModelRequestError(e.message, { status: e.status, retryable: e.retryable ?? false });
}
