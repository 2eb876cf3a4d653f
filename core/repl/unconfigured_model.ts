/**
 * The model of a REPL started without an endpoint (a fresh machine): the REPL still starts and
 * its `:commands` work, and every task fails at once with the configuration error that says
 * what to set, instead of the process exiting before the prompt.
 */
import { ModelNotConfiguredError } from "../model/errors.ts";
import type { ChatResponse, ModelClient } from "../model/types.ts";

/** A ModelClient that has no endpoint yet; `chat` rejects with ModelNotConfiguredError. */
export class UnconfiguredModelClient implements ModelClient {
  /** Shown in the REPL banner. */
  readonly model = "(none: waiting for a model endpoint)";

  /** Always rejects: there is nowhere to send the request. */
  chat(): Promise<ChatResponse> {
    return Promise.reject(new ModelNotConfiguredError());
  }

  /** Unknown until an endpoint exists. */
  supportsTools(): boolean | undefined {
    return undefined;
  }
}
