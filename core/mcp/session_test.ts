/**
 * The path a user takes: MCP servers configured, a code-mode session on the real kernel finds a
 * server's tool with search_tools and calls it from cells, through the real OpenAI client and
 * the scripted model server. Binary results arrive as files in the workspace, secrets reach
 * neither the cell nor the model, and stopping a cell cancels the MCP call it made.
 */
import assert from "node:assert/strict";
import { AgentSession } from "../agent/agent_session.ts";
import { realKernelFactory } from "../agent/real_kernel.ts";
import type { Config } from "../config.ts";
import { memoryLogger } from "../log.ts";
import { OpenAIModelClient } from "../model/mod.ts";
import { startScriptedModelServer } from "../testing/scripted_model_server.ts";
import { openRegistryWithMcp } from "./open_registry.ts";
import { referenceServers } from "./testing/reference_servers.ts";
import { waitFor } from "./testing/wait_for.ts";

const ref = await referenceServers();
const SECRET = `sk-session-${crypto.randomUUID()}`;

async function setup(script: Parameters<typeof startScriptedModelServer>[0]["script"]) {
  const { logger, records } = memoryLogger("info");
  const { registry, mcp } = await openRegistryWithMcp(
    {
      mcpServers: { everything: { ...ref!.everything(), env: { SERVICE_TOKEN: SECRET } } },
    } as Pick<Config, "mcpServers">,
    { log: logger, mcpFile: null },
  );
  const server = startScriptedModelServer({ script });
  const model = new OpenAIModelClient({
    baseUrl: server.url,
    apiKey: "test",
    model: "scripted-model",
    maxRetries: 0,
    toolMode: "native",
  });
  const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "mcp-session-" }));
  const session = await AgentSession.open({
    model,
    registry,
    kernelFactory: realKernelFactory({ sessionId: "mcp", rootDir: root, log: logger }),
    sessionId: "mcp",
  });
  return {
    session,
    server,
    records,
    async close() {
      await session.close();
      await server.close();
      await mcp.close();
      registry.close();
      await Deno.remove(root, { recursive: true });
    },
  };
}

const call = (name: string, args: Record<string, unknown>, id: string) => ({
  toolCalls: [{ id, name, arguments: args }],
});

Deno.test({
  name: "a session finds an MCP tool with search_tools and calls it from cells",
  ignore: !ref,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    let step = 0;
    const replies = [
      call("search_tools", { query: "add two numbers" }, "s1"),
      call(
        "execute_code",
        { code: "const s = await tools.everything.get_sum({ a: 2, b: 3 })\ns" },
        "c1",
      ),
      call("execute_code", {
        code: "const img = await tools.everything.get_tiny_image({})\n" +
          "const h = img.find((x: { type: string }) => x.type === 'image')\n" +
          "const bytes = await Deno.readFile(h.path);\n`${h.mimeType} ${bytes.length === h.bytes}`",
      }, "c2"),
      call("execute_code", { code: "const env = await tools.everything.get_env()\nenv" }, "c3"),
      call("execute_code", { code: "await tools.everything.get_sum({ a: 'two' })" }, "c4"),
      { content: "The sum is 5." },
    ];
    const t = await setup(() => replies[step++] ?? { content: "end" });
    try {
      const r = await t.session.ask("Add 2 and 3 with a tool, then show me the tiny image.");
      assert.equal(r.answer, "The sum is 5.");
      const tools = t.session.transcript.filter((m) => m.role === "tool").map((m) => m.content);
      assert.match(String(tools[0]), /declare namespace everything \{[\s\S]*function get_sum/);
      assert.match(String(tools[1]), /The sum of 2 and 3 is 5/);
      assert.match(String(tools[2]), /image\/png true/);
      assert.match(String(tools[3]), /SERVICE_TOKEN/);
      assert.match(String(tools[4]), /invalid_args.*field "a": expected number/s);
      // The secret reached neither a cell nor any request the model received.
      const env = await t.session.kernel.getVariable("env");
      assert.ok(!JSON.stringify(env).includes(SECRET));
      assert.ok(!JSON.stringify(t.server.chatRequests()).includes(SECRET));
      // The kernel itself has no way to the supervisor's environment.
      const probe = await t.session.kernel.execute("Deno.env.get('SERVICE_TOKEN')");
      assert.equal(probe.ok, false);
    } finally {
      await t.close();
    }
  },
});

Deno.test({
  name: "stopping a cell cancels the MCP call it is waiting for",
  ignore: !ref,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const t = await setup(() => ({ content: "unused" }));
    try {
      const r = await t.session.kernel.execute(
        "await tools.everything.trigger_long_running_operation({ duration: 30, steps: 30 })",
        { timeoutMs: 3_000 },
      );
      assert.equal(r.ok, false);
      assert.equal(r.error?.name, "TimeoutError");
      await waitFor(
        () => t.records.some((x) => x.event === "tool_call" && x.code === "aborted"),
        "the aborted tool call",
      );
      // The server is still fine and serves the next cell.
      const next = await t.session.kernel.execute("await tools.everything.echo({ message: 'hi' })");
      assert.equal(next.value, "Echo: hi");
    } finally {
      await t.close();
    }
  },
});
