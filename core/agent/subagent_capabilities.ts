/**
 * The supervisor capabilities a sub-agent actor uses: `subagent.model` (chat through the
 * gateway, so API keys stay here; time is summed for the overhead figure), `subagent.kernel`
 * (its own kernel) and `subagent.search` (tool search limited to its allow-list). Each call is
 * matched to the caller's live session by actor name; an actor without one is refused.
 */
import type { ActorSystem } from "../actor_system.ts";
import type { ModelClient } from "../model/types.ts";
import { searchToolsText } from "../tools/meta_tools.ts";
import type { ToolRegistry } from "../tools/registry.ts";
import type { KernelPort } from "./kernel_port.ts";
import { allowListLookup } from "./tool_router.ts";

/** What the supervisor keeps for one running sub-agent call. */
export interface SubagentSession {
  kernel: KernelPort;
  /** Time spent waiting for the model, in ms. */
  modelMs: number;
  tools: readonly string[];
}

/** What the capabilities need. */
export interface CapabilityDeps {
  system: ActorSystem;
  model: ModelClient;
  registry: ToolRegistry;
  modelName?: string;
  ledgerTask?: string;
}

/** Registers the three capabilities on `deps.system`, answering from `sessions`. */
export function provideSubagentCapabilities(
  deps: CapabilityDeps,
  sessions: Map<string, SubagentSession>,
): void {
  const session = (caller: { name: string }) => {
    const s = sessions.get(caller.name);
    if (!s) throw new Error(`"${caller.name}" is not a running sub-agent`);
    return s;
  };
  deps.system.provide("subagent.model", async (args, caller) => {
    const s = session(caller);
    const start = performance.now();
    try {
      const request = args as Parameters<ModelClient["chat"]>[0];
      return await deps.model.chat(
        { ...request, ...(deps.modelName ? { model: deps.modelName } : {}) },
        deps.ledgerTask ? { task: deps.ledgerTask } : {},
      );
    } finally {
      s.modelMs += performance.now() - start;
    }
  });
  deps.system.provide("subagent.kernel", (args, caller) => {
    const { kernel } = session(caller);
    const a = args as {
      op: string;
      code?: string;
      timeoutMs?: number;
      name?: string;
      value?: unknown;
    };
    switch (a.op) {
      case "execute":
        return kernel.execute(String(a.code ?? ""), a.timeoutMs ? { timeoutMs: a.timeoutMs } : {});
      case "interrupt":
        return kernel.interrupt();
      case "list":
        return kernel.listVariables();
      case "inspect":
        return kernel.inspectVariable(String(a.name));
      case "get":
        return kernel.getVariable(String(a.name));
      case "set":
        return kernel.setVariable(String(a.name), a.value);
    }
    throw new Error(`Unknown kernel op "${a.op}"`);
  });
  deps.system.provide("subagent.search", (args, caller) => {
    const { tools } = session(caller);
    const { query, k } = args as { query: string; k?: number };
    return searchToolsText(allowListLookup(deps.registry, tools), String(query), k);
  });
}
