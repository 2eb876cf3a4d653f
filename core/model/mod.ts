/**
 * The model gateway: one `ModelClient` interface for the orchestrator, the REPL and the VTuber
 * loop, over any OpenAI-compatible endpoint, with retries, usage accounting, fenced-code
 * fallback and cassette record/replay. Re-exports only.
 */
export * from "./types.ts";
export * from "./errors.ts";
export {
  createModelClient,
  type CreateModelClientOptions,
  type ModelEndpoint,
  modelEndpoint,
  subagentModel,
} from "./create_model_client.ts";
export { OpenAIModelClient, type OpenAIModelClientOptions } from "./openai_client.ts";
export { RecordingModelClient } from "./recording_client.ts";
export { ReplayModelClient } from "./replay_client.ts";
export { type CassetteEntry, readCassette, requestDiff } from "./cassette.ts";
export {
  DEFAULT_TASK,
  type LedgerEntry,
  meteredClient,
  type Prices,
  UsageLedger,
  type UsageTotals,
} from "./usage_ledger.ts";
export { actionToToolCall, extractAction, type FencedAction } from "./extract_action.ts";
export { isToolsUnsupported, plainToolsNote, toPlainRequest } from "./plain_mode.ts";
export { countCompletionTokens, countTokens, loadTokenizer } from "./tokens.ts";
export { backoffDelay, parseRetryAfter, type RetryPolicy } from "./retry.ts";
