/**
 * Connects the orchestrator's events to self-analysis and auto-save: every executed cell is
 * recorded (code, outcome, duration, the completion tokens of the step that wrote it), and
 * after each successful cell the session is saved in the background, so a crash loses at most
 * the cell in flight. Tool calls made from cells are recorded by wrapping the kernel's callTool.
 */
import type { AgentEvent, EventSink } from "../agent/events.ts";
import type { CallTool } from "../agent/kernel_port.ts";
import type { EvolutionService } from "./evolution_service.ts";
import { toolRecord } from "./history_record.ts";

/** Options of {@link recordingSink}. */
export interface RecordingOptions {
  /** Auto-save under this session name after each successful cell; none = no auto-save. */
  autoSave?: string;
  /** Another sink to forward every event to (the REPL's printer). */
  next?: EventSink;
}

/** An event sink that records cells into `service` and auto-saves. */
export function recordingSink(
  service: EvolutionService,
  options: RecordingOptions = {},
): EventSink {
  const tokensByStep = new Map<number, number>();
  const codeByStep = new Map<number, string>();
  return (e: AgentEvent) => {
    try {
      if (e.type === "model_reply") tokensByStep.set(e.step, e.completionTokens);
      else if (e.type === "code") codeByStep.set(e.step, e.code);
      else if (e.type === "cell_result") {
        const code = codeByStep.get(e.step);
        if (code !== undefined) {
          const tokens = tokensByStep.get(e.step);
          service.record({
            kind: "cell",
            code,
            ok: e.result.ok,
            ms: e.result.ms,
            ...(tokens !== undefined ? { tokens } : {}),
          });
          codeByStep.delete(e.step);
          if (e.result.ok && options.autoSave) service.queueSave(options.autoSave);
        }
      }
    } finally {
      options.next?.(e);
    }
  };
}

/** Wraps a kernel's `callTool` so every tool call is recorded (name, arguments, outcome, ms). */
export function recordingCallTool(service: EvolutionService, inner: CallTool): CallTool {
  return async (name, args) => {
    const t0 = performance.now();
    const r = await inner(name, args);
    service.record(toolRecord(name, args, r.ok, performance.now() - t0));
    return r;
  };
}
