/**
 * Code mode for another MCP host: one MCP session = one SDK `McpServer` with four tools over
 * one persistent sandboxed kernel. `execute_code` runs a cell (state persists between calls;
 * a failed cell, a sandbox denial included, is an `isError` result, and the client's cancel
 * stops the cell), `search_tools` searches the registry (tools/, the configured MCP servers,
 * learned functions), `list_variables` / `inspect_variable` read the kernel. The kernel starts
 * at the first call (with the learned functions, as every real kernel). A tool that needs approval asks the
 * host's user through MCP elicitation when the client supports it; otherwise it is denied.
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { cellObservation } from "../../agent/observation.ts";
import type { KernelFactory, KernelPort } from "../../agent/kernel_port.ts";
import { createToolRouter } from "../../agent/tool_router.ts";
import type { Logger } from "../../log.ts";
import type { ApprovalRequest } from "../../tools/call_tool.ts";
import { searchToolsText } from "../../tools/meta_tools.ts";
import type { ToolRegistry } from "../../tools/registry.ts";

/** How much of a cell's output goes back to the host's model. */
export const OBSERVATION_CHARS = 20_000;

/** Wiring of a {@link CodeModeSession}. */
export interface CodeModeSessionOptions {
  registry: ToolRegistry;
  kernelFactory: KernelFactory;
  sessionId: string;
  cellTimeoutMs: number;
  log: Logger;
}

/** See the file doc. */
export class CodeModeSession {
  readonly server: McpServer;
  readonly id: string;
  #kernel: Promise<KernelPort> | undefined;
  readonly #o: CodeModeSessionOptions;

  constructor(options: CodeModeSessionOptions) {
    this.#o = options;
    this.id = options.sessionId;
    this.server = new McpServer(
      { name: "autoliza-code-mode", version: "1.0.0" },
      { instructions: INSTRUCTIONS },
    );
    this.#register();
  }

  /** Asks the host's user through elicitation; false when the client cannot be asked. */
  async approve(request: ApprovalRequest): Promise<boolean> {
    if (!this.server.server.getClientCapabilities()?.elicitation) return false;
    let args = JSON.stringify(request.args ?? {});
    if (args.length > 2_000) args = `${args.slice(0, 2_000)}…`;
    const answer = await this.server.server.elicitInput({
      message: `Allow the tool ${request.tool} to run with ${args}?`,
      requestedSchema: {
        type: "object",
        properties: { allow: { type: "boolean", title: "Allow this call" } },
        required: ["allow"],
      },
    });
    return answer.action === "accept" && answer.content?.allow === true;
  }

  /** Closes the kernel (the MCP transport is closed by its owner). */
  async close(): Promise<void> {
    const kernel = await this.#kernel?.catch(() => undefined);
    await kernel?.close();
  }

  #kernelPort(): Promise<KernelPort> {
    this.#kernel ??= (async () => {
      const holder: { kernel?: KernelPort } = {};
      const router = createToolRouter({
        registry: this.#o.registry,
        kernel: () => holder.kernel,
        sessionId: this.id,
      });
      const kernel = await this.#o.kernelFactory(router);
      holder.kernel = kernel;
      return kernel;
    })();
    return this.#kernel;
  }

  #register(): void {
    const text = (t: string, isError = false): CallToolResult => ({
      content: [{ type: "text", text: t }],
      ...(isError ? { isError: true } : {}),
    });
    this.server.registerTool("execute_code", {
      description: "Run TypeScript in your persistent sandboxed kernel. Variables, functions " +
        "and imports persist between calls; top-level await works. Call tools found with " +
        "search_tools as `await tools.<name>(input)`. Returns the value of the last " +
        "expression, console output or the error.",
      inputSchema: {
        code: z.string().min(1).describe("TypeScript to run"),
        timeout_ms: z.number().int().positive().optional()
          .describe("Stop the cell after this many ms (default from the kernel config)"),
      },
    }, async (
      { code, timeout_ms }: { code: string; timeout_ms?: number },
      extra: { signal: AbortSignal },
    ) => {
      const kernel = await this.#kernelPort();
      const r = await kernel.execute(code, {
        timeoutMs: timeout_ms ?? this.#o.cellTimeoutMs,
        signal: extra.signal,
      });
      return text(cellObservation(r, OBSERVATION_CHARS), !r.ok);
    });
    this.server.registerTool(
      "search_tools",
      {
        description: "Find tools for a task. Returns the best matches as TypeScript " +
          "declarations; call them inside execute_code as `await tools.<name>(input)`.",
        inputSchema: {
          query: z.string().describe("What you want to do, in a few words"),
          k: z.number().int().min(1).max(20).optional().describe("How many tools (default 5)"),
        },
        annotations: { readOnlyHint: true },
      },
      async ({ query, k }: { query: string; k?: number }) =>
        text(await searchToolsText(this.#o.registry, query, k)),
    );
    this.server.registerTool("list_variables", {
      description: "The kernel's variables: name, type and a short summary of each.",
      annotations: { readOnlyHint: true },
    }, async () => {
      const vars = await (await this.#kernelPort()).listVariables();
      return {
        content: [{ type: "text", text: JSON.stringify(vars) }],
        structuredContent: { variables: vars },
      };
    });
    this.server.registerTool("inspect_variable", {
      description: "A readable rendering of one kernel variable (shape, size, first items).",
      inputSchema: { name: z.string().describe("The variable's name") },
      annotations: { readOnlyHint: true },
    }, async ({ name }: { name: string }) => {
      try {
        return text(await (await this.#kernelPort()).inspectVariable(name));
      } catch (e) {
        return text((e as Error).message, true);
      }
    });
  }
}

const INSTRUCTIONS = `Code mode: act with execute_code, TypeScript in a persistent sandboxed
kernel (top-level await works; no network; files only in its workspace, the cwd). Keep big data
in variables and print only small summaries. Find capabilities with search_tools("what you
need"), then call them in code as \`await tools.<name>(input)\`; an MCP server's tool is
\`await tools.<server>.<tool>(input)\`. In code, list_variables(), inspect_variable(name),
search_tools(query) and describe_tool(name) are functions too.`;
