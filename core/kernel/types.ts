/**
 * Types of the kernel's supervisor-side API: options, the result of a cell (the JSON shape the
 * CLI prints, plus restore details after a crash), variables and the tool-call callback.
 */
import type { InspectorIsolation } from "../inspector_isolation.ts";
import type { Logger } from "../log.ts";

/** The outcome of one tool call made from a cell, as the tool registry reports it. */
export type ToolCallResult =
  | { ok: true; value: unknown }
  | { ok: false; error: { name?: string; message: string } };

/** Runs a registered tool for a cell (validation, logging and policy are the registry's). */
export type CallTool = (name: string, args: unknown) => Promise<ToolCallResult>;

/** How to start a kernel. */
export interface KernelOptions {
  sessionId: string;
  /** The only directory the kernel may read and write (`sessions/<id>/workspace/`). */
  workspaceDir: string;
  /** Read-only for the kernel (`learned_skills/`). */
  learnedSkillsDir?: string;
  /** V8 heap cap, default 512. */
  heapMb?: number;
  /** RSS watchdog limit, default 1024. */
  rssMb?: number;
  /** Default per-cell timeout, default 60 s. */
  cellTimeoutMs?: number;
  /** Characters kept per stream per cell, default 64 Ki. */
  outputLimit?: number;
  /** Largest structured `value` returned (JSON characters), default 1 Mi. */
  valueLimit?: number;
  callTool?: CallTool;
  /** Restarts allowed within `windowMs` before the kernel stays down; default 10 in 10 min. */
  restartBudget?: { max: number; windowMs: number };
  /** Where the kernel's inspector listens (`kernel.isolation`), default `auto`. */
  isolation?: InspectorIsolation;
  log: Logger;
}

/** An error as a cell result reports it; `line` is 1-based in the cell when known. */
export interface CellError {
  name: string;
  message: string;
  line: number | null;
  stack?: string;
}

/** The result of one cell. */
export interface CellResult {
  cell: number;
  ok: boolean;
  display: string;
  /** Present when the value is plain JSON data under the size cap. */
  value?: unknown;
  stdout: string;
  stderr: string;
  error: CellError | null;
  ms: number;
  /** Errors from earlier cells' timers or unawaited promises, reported with this cell. */
  lateErrors?: CellError[];
  /** Set when the kernel was killed during this cell and restarted. */
  restart?: {
    reason: string;
    restored: string[];
    lost: string[];
    /** Restored from an older checkpoint: later changes were not saved (too costly to save). */
    stale?: string[];
  };
}

/** Per-call options of `execute`. */
export interface ExecuteOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** One user binding as list_variables reports it. */
export interface VariableInfo {
  name: string;
  type: string;
  summary: string;
}

/** One executed cell, as kept for replay. */
export interface HistoryEntry {
  cell: number;
  code: string;
  ok: boolean;
}
