/** The kernel: a persistent, sandboxed, interruptible TypeScript REPL per session. */
export { Kernel, KernelRestartLimitError } from "./kernel.ts";
export type {
  CallTool,
  CellError,
  CellResult,
  ExecuteOptions,
  HistoryEntry,
  KernelOptions,
  ToolCallResult,
  VariableInfo,
} from "./types.ts";
export { CellSyntaxError, transformCell } from "./transform.ts";
export { WorkspaceEscapeError } from "./workspace.ts";
export { parseCells } from "./cells.ts";
export { DATA_LIBRARIES } from "./libraries.ts";
