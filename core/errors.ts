/**
 * Typed errors of the runtime. Errors the model causes go back to it as observations; these are
 * the ones the supervisor or the daemon must react to. Each has a stable `code`.
 */

/** Base class: every runtime error has a machine-readable code. */
export class RuntimeError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** An ask got no reply within its timeout. */
export class AskTimeoutError extends RuntimeError {
  constructor(actor: string, type: string, ms: number) {
    super("ask_timeout", `Actor "${actor}" did not reply to "${type}" within ${ms} ms`);
  }
}

/** An ask was cancelled through its AbortSignal. */
export class AskAbortedError extends RuntimeError {
  constructor(actor: string, type: string) {
    super("ask_aborted", `Ask "${type}" to actor "${actor}" was aborted`);
  }
}

/** The actor crashed while the ask was in flight; it may be restarting. */
export class ActorCrashedError extends RuntimeError {
  constructor(actor: string, reason: string) {
    super("actor_crashed", `Actor "${actor}" crashed: ${reason}`);
  }
}

/** The actor is stopped or gave up after its restart budget; asks cannot be delivered. */
export class ActorUnavailableError extends RuntimeError {
  constructor(actor: string, why: string) {
    super("actor_unavailable", `Actor "${actor}" is unavailable: ${why}`);
  }
}

/** The actor handled the message and replied with a failure. */
export class ActorReplyError extends RuntimeError {
  readonly remoteName: string;
  constructor(actor: string, name: string, message: string) {
    super("actor_reply_error", `Actor "${actor}" failed: ${name}: ${message}`);
    this.remoteName = name;
  }
}

/** A message failed its schema where it crossed an isolate boundary. */
export class MalformedMessageError extends RuntimeError {
  constructor(message: string) {
    super("malformed_message", message);
  }
}

/** The configuration is invalid; the message names the key, the value and what was expected. */
export class ConfigError extends RuntimeError {
  constructor(message: string) {
    super("config_invalid", message);
  }
}

/** An actor or tool file could not be loaded; the message names the file. */
export class LoadError extends RuntimeError {
  constructor(message: string, options?: ErrorOptions) {
    super("load_failed", message, options);
  }
}

/** Converts anything thrown into `{name, message}` for a wire message. */
export function errorInfo(e: unknown): { name: string; message: string; stack?: string } {
  if (e instanceof Error) {
    return e.stack ? { name: e.name, message: e.message, stack: e.stack } : {
      name: e.name,
      message: e.message,
    };
  }
  return { name: "Error", message: String(e) };
}
