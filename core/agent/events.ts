/**
 * What the loop reports while it runs: the REPL prints these, the daemon logs them. Tagged by
 * `type`; every event carries the step it belongs to.
 */
import type { CellResult } from "./kernel_port.ts";

/** Why a task ended. `interrupted` = the caller's signal (Ctrl-C) stopped it. */
export type Outcome =
  | "final"
  | "step_limit"
  | "token_budget"
  | "time_budget"
  | "interrupted"
  | "error";

/** One event of a running task. */
export type AgentEvent =
  /** `promptTokens` is the tokenizer's count of the prompt, -1 when not counted. */
  | { type: "model_request"; step: number; promptTokens: number }
  | { type: "model_delta"; step: number; text: string }
  | {
    type: "model_reply";
    step: number;
    content: string;
    promptTokens: number;
    completionTokens: number;
    ms: number;
  }
  | { type: "code"; step: number; code: string }
  | { type: "cell_result"; step: number; result: CellResult; observation: string }
  | { type: "search"; step: number; query: string; observation: string }
  | { type: "tool_error"; step: number; name: string; message: string }
  | { type: "done"; step: number; outcome: Outcome; detail: string };

/** Receives events; must not throw (errors are ignored). */
export type EventSink = (event: AgentEvent) => void;
