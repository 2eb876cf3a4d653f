/**
 * Errors of the platform clients, sorted by who must react: the SCB or the avatar being
 * unreachable or answering with a fault is the environment's problem (the loop logs it and
 * keeps cycling); a bad payload is ours (a 400 names the field).
 */
import { RuntimeError } from "../errors.ts";

/** The SCB answered with an error status or could not be reached. */
export class ScbError extends RuntimeError {
  /** HTTP status when there was a reply. */
  readonly status: number | undefined;
  constructor(message: string, status?: number, options?: ErrorOptions) {
    super("scb_error", message, options);
    this.status = status;
  }
}

/** A service was switched off (STANDALONE_MODE, not configured, or deactivated by an operator). */
export class ServiceDisabledError extends RuntimeError {
  constructor(service: string, reason: string) {
    super("service_disabled", `The ${service} is disabled: ${reason}`);
  }
}
