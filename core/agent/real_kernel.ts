/**
 * The real kernel (core/kernel: sandboxed TypeScript REPL over CDP in a subprocess) behind the
 * orchestrator's `KernelPort`, with the prelude installed and every approved learned function
 * imported (core/evolution/learned_loader.ts). Each kernel gets its own workspace folder;
 * sub-agent kernels get a fresh one under the session's `subagents/` folder.
 */
import { resolve } from "node:path";
import { Kernel } from "../kernel/mod.ts";
import type { Logger } from "../log.ts";
import { KERNEL_PRELUDE } from "./kernel_prelude.ts";
import { loadLearnedFunctions } from "../evolution/learned_loader.ts";
import type { CallTool, KernelFactory, KernelPort } from "./kernel_port.ts";

/** Cell errors that mean the cell was stopped rather than failing on its own. */
const STOPPED = new Set(["TimeoutError", "AbortError", "KernelCrashed"]);

/** Settings shared by every kernel of a session. */
export interface RealKernelOptions {
  sessionId: string;
  /** Folder that receives one workspace per kernel. */
  rootDir: string;
  log: Logger;
  learnedSkillsDir?: string;
  heapMb?: number;
  rssMb?: number;
  cellTimeoutMs?: number;
  /** Delete each kernel's workspace when it closes (sub-agent kernels: nothing survives). */
  removeOnClose?: boolean;
}

/** A factory of real kernels; the n-th kernel works in `<rootDir>/<prefix><n>/`. */
export function realKernelFactory(options: RealKernelOptions, prefix = "kernel-"): KernelFactory {
  let n = 0;
  return async (callTool) => {
    const dir = `${options.rootDir}/${prefix}${++n}`;
    await Deno.mkdir(dir, { recursive: true });
    const workspaceDir = await Deno.realPath(dir);
    return await startRealKernel({ ...options, workspaceDir }, callTool);
  };
}

/** Starts one kernel in `workspaceDir` and installs the prelude. */
export async function startRealKernel(
  options: Omit<RealKernelOptions, "rootDir"> & { workspaceDir: string },
  callTool: CallTool,
): Promise<KernelPort> {
  const { rootDir: _unused, removeOnClose, ...rest } = options as RealKernelOptions & {
    workspaceDir: string;
  };
  // Tool calls made while a cell runs share its controller: stopping the cell (interrupt,
  // timeout, crash) cancels them, so an MCP call does not outlive the cell that made it.
  let cell = new AbortController();
  const learned = rest.learnedSkillsDir ? resolve(rest.learnedSkillsDir) : undefined;
  const kernel = await Kernel.start({
    ...rest,
    ...(learned ? { learnedSkillsDir: learned } : {}),
    callTool: async (name, args) => {
      const r = await callTool(name, args, { signal: cell.signal });
      return r.ok ? r : { ok: false, error: { name: r.error.code, message: r.error.message } };
    },
  });
  const prelude = await kernel.execute(KERNEL_PRELUDE);
  if (!prelude.ok) {
    await kernel.close();
    throw new Error(`Cannot install the kernel prelude: ${prelude.error?.message}`);
  }
  if (learned) await loadLearnedFunctions(kernel, learned, options.log);
  const skip = kernel.history.length;
  return {
    workspaceDir: options.workspaceDir,
    execute: async (code, opts) => {
      cell = new AbortController();
      const r = await kernel.execute(code, opts);
      if (!r.ok && STOPPED.has(r.error?.name ?? "")) cell.abort(new Error(r.error?.message));
      return r;
    },
    interrupt: () => {
      cell.abort(new Error("Cell interrupted"));
      void kernel.interrupt();
    },
    listVariables: () => kernel.listVariables(),
    inspectVariable: (name) => kernel.inspectVariable(name),
    getVariable: (name) => kernel.getVariable(name),
    setVariable: (name, value) => kernel.setVariable(name, value),
    history: () => kernel.history.slice(skip).map((h) => h.code),
    close: async () => {
      await kernel.close();
      if (removeOnClose) {
        await Deno.remove(options.workspaceDir, { recursive: true }).catch(() => {});
      }
    },
  };
}
