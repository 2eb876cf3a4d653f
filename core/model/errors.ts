/**
 * Typed errors of the model gateway. They are errors of the environment (endpoint down,
 * misconfigured, cassette out of step), so the supervisor or the REPL handles them; they are
 * never shown to the model as observations.
 */
import { RuntimeError } from "../errors.ts";

/** Neither a base URL nor an API key is configured: there is no endpoint to call. */
export class ModelNotConfiguredError extends RuntimeError {
  constructor() {
    super(
      "model_not_configured",
      "No model endpoint is configured: set OPENAI_BASE_URL and/or OPENAI_API_KEY " +
        "(or OLLAMA_HOST and OLLAMA_MODEL), or model.baseUrl / model.apiKey in agent.yaml",
    );
  }
}

/** A request failed for good: not retryable, or out of retries. */
export class ModelRequestError extends RuntimeError {
  /** HTTP status when the endpoint answered; undefined for network errors and timeouts. */
  readonly status: number | undefined;
  /** Whether another attempt could succeed (429, 5xx, network, timeout). */
  readonly retryable: boolean;
  /** How many attempts were made, including the last one. */
  readonly attempts: number;
  /** The delay the endpoint asked for with `retry-after`, in ms. */
  readonly retryAfterMs: number | undefined;
  constructor(
    message: string,
    details: {
      status?: number | undefined;
      retryable: boolean;
      attempts?: number;
      retryAfterMs?: number | undefined;
    },
    options?: ErrorOptions,
  ) {
    super("model_request_failed", message, options);
    this.status = details.status;
    this.retryable = details.retryable;
    this.attempts = details.attempts ?? 1;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** One attempt took longer than `model.timeoutMs`. Retryable. */
export class ModelTimeoutError extends RuntimeError {
  constructor(ms: number) {
    super("model_timeout", `Model request timed out after ${ms} ms`);
  }
}

/** The caller aborted the request through its AbortSignal. Never retried. */
export class ModelAbortedError extends RuntimeError {
  constructor() {
    super("model_aborted", "Model request was aborted by the caller");
  }
}

/** A replayed run asked for something the cassette did not record. */
export class CassetteDivergenceError extends RuntimeError {
  constructor(message: string) {
    super("cassette_divergence", message);
  }
}

/** A cassette file is missing, unreadable or malformed; the message names the file and line. */
export class CassetteFormatError extends RuntimeError {
  constructor(message: string) {
    super("cassette_invalid", message);
  }
}
