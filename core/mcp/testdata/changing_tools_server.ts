/**
 * A stdio MCP server built on the official SDK's McpServer, for the `tools/list_changed` test:
 * `add_tool` registers a new tool and `remove_tool` removes one at run time, and the SDK sends
 * `notifications/tools/list_changed` for each, as any SDK-based server does.
 */
import { McpServer, type RegisteredTool } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const server = new McpServer({ name: "changing-tools", version: "1.0.0" });
const added = new Map<string, RegisteredTool>();

server.registerTool("add_tool", {
  description: "Registers a new tool with the given name and description",
  inputSchema: { name: z.string(), description: z.string() },
  annotations: { readOnlyHint: true },
}, ({ name, description }: { name: string; description: string }) => {
  added.set(
    name,
    server.registerTool(name, { description, annotations: { readOnlyHint: true } }, () => ({
      content: [{ type: "text", text: `${name} ran` }],
    })),
  );
  return { content: [{ type: "text", text: `added ${name}` }] };
});

server.registerTool("remove_tool", {
  description: "Removes a tool added before",
  inputSchema: { name: z.string() },
  annotations: { readOnlyHint: true },
}, ({ name }: { name: string }) => {
  added.get(name)?.remove();
  added.delete(name);
  return { content: [{ type: "text", text: `removed ${name}` }] };
});

await server.connect(new StdioServerTransport());
