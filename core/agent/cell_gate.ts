/**
 * Tool calls from a kernel are accepted only while one of its cells runs, and only so many at
 * once. A cell that leaves a timer or an unawaited promise behind cannot call tools (and their
 * approval prompts) after its task ended, and a cell cannot flood the supervisor with calls.
 * Wrap a {@link KernelFactory} with {@link gatedKernels}; nothing else changes for its users.
 */
import type { CallTool, KernelFactory, KernelPort, ToolCallOutcome } from "./kernel_port.ts";

/** Tool calls one kernel may have in flight at once. */
export const MAX_TOOL_CALLS_IN_FLIGHT = 16;

/** Kernels from `factory` whose tool calls pass the gate. */
export function gatedKernels(
  factory: KernelFactory,
  maxInFlight = MAX_TOOL_CALLS_IN_FLIGHT,
): KernelFactory {
  return async (callTool) => {
    const gate = { cells: 0, inFlight: 0 };
    const kernel = await factory(gatedCallTool(callTool, gate, maxInFlight));
    return countingCells(kernel, gate);
  };
}

interface GateState {
  cells: number;
  inFlight: number;
}

function refused(code: string, message: string): ToolCallOutcome {
  return { ok: false, error: { code, message } };
}

function gatedCallTool(inner: CallTool, gate: GateState, max: number): CallTool {
  return async (name, args) => {
    if (gate.cells === 0) {
      return refused(
        "no_running_cell",
        `tools.${name} was called after its cell ended (from a timer or a promise nobody ` +
          `awaited); tools can be called only while a cell runs: await the call in the cell`,
      );
    }
    if (gate.inFlight >= max) {
      return refused(
        "too_many_calls",
        `${max} tool calls are already in flight; await some before starting more`,
      );
    }
    gate.inFlight++;
    try {
      return await inner(name, args);
    } finally {
      gate.inFlight--;
    }
  };
}

function countingCells(kernel: KernelPort, gate: GateState): KernelPort {
  return {
    ...(kernel.workspaceDir ? { workspaceDir: kernel.workspaceDir } : {}),
    execute: async (code, options) => {
      gate.cells++;
      try {
        return await kernel.execute(code, options);
      } finally {
        gate.cells--;
      }
    },
    interrupt: () => kernel.interrupt(),
    listVariables: () => kernel.listVariables(),
    inspectVariable: (name) => kernel.inspectVariable(name),
    getVariable: (name) => kernel.getVariable(name),
    setVariable: (name, value) => kernel.setVariable(name, value),
    history: () => kernel.history(),
    close: () => kernel.close(),
  };
}
