/**
 * The supervisor end of a cell's `tools.x(...)` calls: kernel helpers (`search_tools`,
 * `describe_tool`, `list_variables`, `inspect_variable`, `call_subagent`) are answered here,
 * every other name goes to the tool registry (validation, approval, timeout). An allow-list
 * limits a sub-agent to its own tools. Nothing throws: failures are outcomes for the cell.
 */
import type { ToolRegistry } from "../tools/registry.ts";
import { describeToolText, searchToolsText, type ToolLookup } from "../tools/meta_tools.ts";
import type { CallTool, KernelPort, ToolCallOutcome } from "./kernel_port.ts";

/** Runs a sub-agent on a kernel variable's value; see core/agent/subagent_runner.ts. */
export type CallSubagent = (
  name: string,
  variableName: string,
  value: unknown,
  instructions?: string,
) => Promise<unknown>;

/** Wiring of {@link createToolRouter}. */
export interface ToolRouterOptions {
  registry: ToolRegistry;
  /** The kernel the calls come from; read lazily because it is made with this router. */
  kernel: () => KernelPort | undefined;
  callSubagent?: CallSubagent;
  /** Registry tools this router may run (a sub-agent's allow-list); default all. */
  allow?: readonly string[];
  services?: Record<string, unknown>;
  sessionId?: string;
}

/** `search_tools` text for the model from a registry or search index. */
export function registrySearch(
  lookup: ToolLookup,
): (query: string, k?: number) => Promise<string> {
  return (query, k) => searchToolsText(lookup, query, k);
}

/** A restricted view of a registry: only the allowed names are found and described. */
export function allowListLookup(lookup: ToolLookup, allow?: readonly string[]): ToolLookup {
  if (!allow) return lookup;
  const allowed = new Set(allow);
  return {
    rank: async (q, k) =>
      (await lookup.rank(q, (k ?? 5) + 20)).filter((h) => allowed.has(h.spec.name))
        .slice(0, k ?? 5),
    spec: (name) => allowed.has(name) ? lookup.spec(name) : undefined,
    names: () => lookup.names().filter((n) => allowed.has(n)),
  };
}

/** Builds the `callTool` callback given to a kernel. */
export function createToolRouter(options: ToolRouterOptions): CallTool {
  const lookup = allowListLookup(options.registry, options.allow);
  const allowed = options.allow ? new Set(options.allow) : undefined;
  const failed = (code: string, message: string): ToolCallOutcome => ({
    ok: false,
    error: { code, message },
  });
  return async (name, rawArgs, callOptions) => {
    const args = (rawArgs && typeof rawArgs === "object" ? rawArgs : {}) as Record<string, unknown>;
    const str = (key: string) => typeof args[key] === "string" ? args[key] as string : undefined;
    try {
      switch (name) {
        case "search_tools": {
          const query = str("query");
          if (query === undefined) {
            return failed("invalid_args", "search_tools(query): query must be a string");
          }
          const k = typeof args.k === "number" ? args.k : undefined;
          return { ok: true, value: await searchToolsText(lookup, query, k) };
        }
        case "describe_tool": {
          const tool = str("name");
          if (tool === undefined) {
            return failed("invalid_args", "describe_tool(name): name must be a string");
          }
          return { ok: true, value: describeToolText(lookup, tool) };
        }
        case "list_variables":
          return { ok: true, value: await kernelOf(options).listVariables() };
        case "inspect_variable": {
          const variable = str("name");
          if (variable === undefined) {
            return failed("invalid_args", "inspect_variable(name): name must be a string");
          }
          return { ok: true, value: await kernelOf(options).inspectVariable(variable) };
        }
        case "call_subagent": {
          if (!options.callSubagent) {
            return failed("unknown_tool", "call_subagent is not available here");
          }
          const agent = str("name");
          const variable = str("variable_name");
          if (!agent || !variable) {
            return failed(
              "invalid_args",
              "call_subagent(name, variable_name, instructions?): name and variable_name must be strings",
            );
          }
          return {
            ok: true,
            value: await options.callSubagent(agent, variable, args.value, str("instructions")),
          };
        }
      }
      if (allowed && !allowed.has(name)) {
        return failed(
          "unknown_tool",
          `Tool "${name}" is not available here; use search_tools to find one`,
        );
      }
      const workspaceDir = options.kernel()?.workspaceDir;
      const result = await options.registry.call(name, rawArgs, {
        ...(options.services ? { services: options.services } : {}),
        ...(options.sessionId ? { sessionId: options.sessionId } : {}),
        ...(callOptions?.signal ? { signal: callOptions.signal } : {}),
        ...(workspaceDir ? { workspaceDir } : {}),
      });
      return result.ok ? { ok: true, value: result.value } : { ok: false, error: result.error };
    } catch (e) {
      return failed("failed", `${name}: ${(e as Error).message}`);
    }
  };
}

function kernelOf(options: ToolRouterOptions): KernelPort {
  const kernel = options.kernel();
  if (!kernel) throw new Error("no kernel is attached to this router");
  return kernel;
}
