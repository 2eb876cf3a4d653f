/**
 * An MCP server's tools as registry tools: each listed tool becomes a {@link ProvidedTool}
 * named `<server>.<tool>` (names.ts), whose input schema is turned into zod (so arguments are
 * checked here, with the registry's usual messages, before the server sees them), whose
 * `outputSchema` is the declared return type, and whose annotations set approval (policy.ts).
 * Its `run` calls the server with the call's cancellation signal and maps the result
 * (results.ts); registered secrets (core/redact.ts) are masked in what comes back.
 */
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { defineTool, type ToolDefinition } from "../tool.ts";
import { ToolCallError } from "../tools/call_tool.ts";
import type { ProvidedTool } from "../tools/tool_providers.ts";
import type { JsonSchema, ToolSpec } from "../tools/tool_spec.ts";
import type { McpConnection } from "./connection.ts";
import { toolNames } from "./names.ts";
import { approvalNote, requiresApproval } from "./policy.ts";
import { redact, redactText } from "../redact.ts";
import { resourceValue, resultValue } from "./results.ts";

/** MCP tools default to the SDK's request timeout rather than the registry's 30 s. */
export const MCP_TIMEOUT_MS = 60_000;

/**
 * The registry tools for a connection's current listing. `approvalOverride` is tools.yaml's
 * `requiresApproval` for a name, when set, so the doc line about approval tells the truth.
 */
export function providedTools(
  connection: McpConnection,
  tools: Tool[],
  approvalOverride: (name: string) => boolean | undefined = () => undefined,
): ProvidedTool[] {
  const { def } = connection;
  const names = toolNames(def.namespace, tools.map((t) => t.name));
  const seen = new Set<string>();
  const out: ProvidedTool[] = [];
  for (const tool of tools) {
    const name = names.get(tool.name)!;
    if (seen.has(name)) continue;
    seen.add(name);
    const approval = requiresApproval(tool.annotations);
    const asks = approvalOverride(name) ?? approval;
    const description = redactText(
      [
        tool.description?.trim() || tool.title || tool.name,
        asks ? approvalNote(tool.annotations) : "",
      ]
        .filter(Boolean).join("\n"),
    );
    const spec: ToolSpec = {
      name,
      description,
      parameters: tool.inputSchema as JsonSchema,
      ...(tool.outputSchema ? { returns: tool.outputSchema as JsonSchema } : {}),
      tags: [def.name, tool.name, ...(tool.title ? [tool.title] : [])],
      source: `mcp:${def.name}`,
    };
    const definition: ToolDefinition = {
      description,
      input: inputSchema(tool.inputSchema),
      requiresApproval: approval,
      timeoutMs: MCP_TIMEOUT_MS,
      run: async (input, ctx) => {
        try {
          const result = await connection.call(tool.name, input, ctx.signal);
          const value = await resultValue(result, {
            workspaceDir: ctx.workspaceDir,
            namespace: def.namespace,
          });
          return redact(value);
        } catch (e) {
          if (!(e instanceof ToolCallError)) throw e;
          throw new ToolCallError(e.code, redactText(e.message));
        }
      },
    };
    out.push({ spec, definition });
  }
  const read = `${def.namespace}.read_resource`;
  if (connection.hasResources && !seen.has(read)) out.push(readResourceTool(connection, read));
  return out;
}

/**
 * `<server>.read_resource({ uri })`, offered when the server has resources: how a cell follows a
 * `resource_link` a tool returned. Text comes back as text, binary data as workspace handles.
 */
function readResourceTool(connection: McpConnection, name: string): ProvidedTool {
  const { def } = connection;
  const description = `Read a resource of the MCP server "${def.name}" by its URI, e.g. the ` +
    "uri of a resource_link one of its tools returned. Text comes back as text, binary data " +
    "as a file in the workspace ({type, mimeType, bytes, path}).";
  const parameters = {
    type: "object",
    properties: { uri: { type: "string", description: "The resource's URI" } },
    required: ["uri"],
  };
  return {
    spec: {
      name,
      description,
      parameters,
      tags: [def.name, "resource"],
      source: `mcp:${def.name}`,
    },
    definition: defineTool({
      description,
      input: z.object({ uri: z.string() }),
      timeoutMs: MCP_TIMEOUT_MS,
      run: async ({ uri }, ctx) => {
        const contents = await connection.readResource(uri, ctx.signal);
        const target = { workspaceDir: ctx.workspaceDir, namespace: def.namespace };
        return redact(await resourceValue(contents, target));
      },
    }) as ToolDefinition,
  };
}

/**
 * The server's JSON Schema as zod. A schema `z.fromJSONSchema` cannot convert is accepted as
 * any object, and the server does the checking.
 */
function inputSchema(schema: Tool["inputSchema"]): z.ZodType {
  try {
    return z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
  } catch {
    return z.record(z.string(), z.unknown());
  }
}
