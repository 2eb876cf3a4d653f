/**
 * The slice of the code kernel the orchestrator needs, as a small interface: run a cell, stop
 * it, read and write variables. The real kernel (core/kernel/) and the test fake both fit it;
 * `KernelFactory` makes a fresh one (the orchestrator's, or one per sub-agent call).
 */
import type {
  CellError as KernelCellError,
  CellResult as KernelCellResult,
} from "../kernel/types.ts";

/** Where a cell failed: the error the cell threw or a syntax error, with its 1-based line. */
export type CellError = Omit<KernelCellError, "stack">;

/**
 * What one cell produced, as the orchestrator needs it: the kernel's result without the
 * bookkeeping (cell number, late errors, restart report). `display` is a bounded rendering.
 */
export type CellResult =
  & Pick<KernelCellResult, "ok" | "display" | "value" | "stdout" | "stderr" | "ms">
  & { error: CellError | null };

/** One variable as `list_variables` shows it. */
export interface VariableInfo {
  name: string;
  type: string;
  /** A short rendering (first characters, or shape and size for big data). */
  summary: string;
}

/** The outcome of a tool call that crossed from a cell to the supervisor. */
export type ToolCallOutcome =
  | { ok: true; value: unknown }
  | { ok: false; error: { code: string; message: string } };

/**
 * How a cell's `tools.x(args)` reaches the supervisor; `signal` is aborted when the calling cell
 * is stopped (interrupt, timeout), so a long tool call is cancelled with it.
 */
export type CallTool = (
  name: string,
  args: unknown,
  options?: { signal?: AbortSignal },
) => Promise<ToolCallOutcome>;

/** Options of one execution. */
export interface ExecuteOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** A persistent code kernel: state survives between cells until `close`. */
export interface KernelPort {
  /** The kernel's working folder (cwd of its cells), when it has one on disk. */
  readonly workspaceDir?: string;
  execute(code: string, options?: ExecuteOptions): Promise<CellResult>;
  /** Stops the running cell, if any; state is kept. */
  interrupt(): void;
  listVariables(): Promise<VariableInfo[]>;
  /** A readable rendering of one variable, or an error naming the unknown name. */
  inspectVariable(name: string): Promise<string>;
  /** The variable's value (structured-cloneable data); throws when it does not exist. */
  getVariable(name: string): Promise<unknown>;
  setVariable(name: string, value: unknown): Promise<void>;
  /** The source of every cell run so far, in order (for `:save`). */
  history(): string[];
  close(): Promise<void>;
}

/** Makes a fresh kernel whose cells' tool calls go to `callTool`. */
export type KernelFactory = (callTool: CallTool) => Promise<KernelPort>;
