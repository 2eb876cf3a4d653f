/**
 * Errors of the memory manager. Bad input (empty or oversized text, wrong vector dimension,
 * unknown type) is the caller's fault and goes back to the model as an observation; an
 * unavailable database is ours to handle (retry, then report), never a silent drop.
 */
import { RuntimeError } from "../errors.ts";

/** The input to a memory operation is invalid; the message names the field and the value. */
export class MemoryInputError extends RuntimeError {
  constructor(message: string) {
    super("memory_invalid_input", message);
  }
}

/** The database could not be reached or failed mid-operation after the retries ran out. */
export class MemoryUnavailableError extends RuntimeError {
  constructor(operation: string, cause: unknown, attempts: number) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(
      "memory_unavailable",
      `Memory ${operation} failed after ${attempts} attempt(s); its transaction was rolled back: ${why}`,
      { cause },
    );
  }
}

/** A memory with the given id does not exist (or was archived/forgotten). */
export class MemoryNotFoundError extends RuntimeError {
  constructor(id: string) {
    super("memory_not_found", `Memory "${id}" does not exist`);
  }
}

/** The embedding endpoint failed or returned something unusable. */
export class EmbeddingError extends RuntimeError {
  constructor(message: string, options?: ErrorOptions) {
    super("embedding_failed", message, options);
  }
}
