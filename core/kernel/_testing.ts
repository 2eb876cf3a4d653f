/** Test helpers for the kernel suites: a kernel on a fresh temp workspace, and a tidy-up. */
import { Kernel } from "./kernel.ts";
import { memoryLogger } from "../log.ts";
import type { KernelOptions } from "./types.ts";

/** A started kernel, its temp root (workspace is `<root>/ws`) and its log records. */
export async function testKernel(extra: Partial<KernelOptions> = {}) {
  const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "kernel-test-" }));
  const workspaceDir = `${root}/ws`;
  await Deno.mkdir(workspaceDir);
  const { logger, records } = memoryLogger();
  const kernel = await Kernel.start({ sessionId: "test", workspaceDir, log: logger, ...extra });
  return {
    kernel,
    root,
    workspaceDir,
    records,
    async close() {
      await kernel.close();
      await Deno.remove(root, { recursive: true });
    },
  };
}

/** Test options for suites that share one kernel across many tests. */
export const shared = { sanitizeOps: false, sanitizeResources: false } as const;
