/**
 * `cli mcp serve` driven by the official SDK's own client, as another MCP host would drive it:
 * over stdio (the SDK's StdioClientTransport starts the command) and over Streamable HTTP with
 * a bearer token. The kernel keeps state between calls, a sandbox denial is an `isError`
 * result, search finds the tools of an MCP server configured behind it, sessions are separate.
 */
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { type CallToolResult, ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { stringify } from "yaml";
import { composeSkill, sha256Hex } from "../../evolution/skill_file.ts";
import { referenceServers } from "../testing/reference_servers.ts";

const ref = await referenceServers();
const ROOT = new URL("../../../", import.meta.url).pathname;
const MAIN = `${ROOT}main.ts`;
const RUN = ["run", "--no-prompt", "--unstable-worker-options", "-A", MAIN, "mcp", "serve"];

/** An agent.yaml in a temp folder: sessions there, everything and filesystem servers behind. */
async function workspace() {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "mcp-serve-" }));
  await Deno.mkdir(`${dir}/notes`);
  const config = {
    paths: { sessions: `${dir}/sessions`, learnedSkills: `${dir}/learned`, tools: `${ROOT}tools` },
    toolSearch: { embedder: "off" },
    mcpServers: { everything: ref!.everything(), notes: ref!.filesystem(`${dir}/notes`) },
  };
  await Deno.writeTextFile(`${dir}/agent.yaml`, stringify(config));
  await Deno.mkdir(`${dir}/learned/functions`, { recursive: true });
  const body = "/** Multiplies a number by three. */\n" +
    "export function triple_number(n: number): number {\n  return n * 3;\n}\n";
  const meta = { name: "triple_number", version: 1, created: "2026-01-01", model: "test" };
  await Deno.writeTextFile(
    `${dir}/learned/functions/triple_number.ts`,
    composeSkill({ ...meta, session: "t", sha256: await sha256Hex(body) }, body),
  );
  return dir;
}

function env(extra: Record<string, string> = {}): Record<string, string> {
  const keep = ["DENO_DIR", "HOME", "PATH"].flatMap((k) => {
    const v = Deno.env.get(k);
    return v ? [[k, v]] : [];
  });
  return { ...Object.fromEntries(keep), LOG_LEVEL: "warn", ...extra };
}

function text(r: unknown): string {
  const blocks = ((r as CallToolResult).content ?? []) as { type: string; text?: string }[];
  return blocks.map((b) => b.type === "text" ? b.text : "").join();
}

Deno.test({
  name: "cli mcp serve over stdio: the SDK client runs code in a persistent sandboxed kernel",
  ignore: !ref,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await workspace();
    const transport = new StdioClientTransport({
      command: Deno.execPath(),
      args: [...RUN, "--file", `${dir}/agent.yaml`],
      cwd: dir,
      env: env(),
      stderr: "pipe",
    });
    const client = new Client({ name: "sdk-test-host", version: "1.0.0" });
    try {
      await client.connect(transport);
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((t: { name: string }) => t.name).sort(), [
        "execute_code",
        "inspect_variable",
        "list_variables",
        "search_tools",
      ]);
      const call = (name: string, args: Record<string, unknown>) =>
        client.callTool({ name, arguments: args });
      assert.match(text(await call("execute_code", { code: "const x: number = 21\nx" })), /21/);
      const again = await call("execute_code", { code: "x * 2" });
      assert.match(text(again), /result: 42/);
      assert.equal(again.isError, undefined);
      const denied = await call("execute_code", { code: "await Deno.readTextFile('/etc/hosts')" });
      assert.equal(denied.isError, true);
      assert.match(text(denied), /NotCapable|PermissionDenied|Requires read access/);
      assert.match(
        text(await call("search_tools", { query: "add two numbers" })),
        /declare namespace everything[\s\S]*function get_sum/,
      );
      const sum = await call("execute_code", {
        code: "await tools.everything.get_sum({ a: 1, b: 2 })",
      });
      assert.match(text(sum), /The sum of 1 and 2 is 3/);
      // A learned function: found by search, and a global in the served kernel.
      assert.match(
        text(await call("search_tools", { query: "multiply a number by three" })),
        /triple_number/,
      );
      assert.match(text(await call("execute_code", { code: "triple_number(14)" })), /result: 42/);
      const vars = await call("list_variables", {});
      assert.ok(
        (vars.structuredContent as { variables: { name: string }[] }).variables.some((v) =>
          v.name === "x"
        ),
      );
      assert.match(text(await call("inspect_variable", { name: "x" })), /21/);
      assert.equal((await call("inspect_variable", { name: "nope" })).isError, true);
    } finally {
      await client.close();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});

Deno.test({
  name: "cli mcp serve --http: bearer token, loopback origin, one kernel per session",
  ignore: !ref,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await workspace();
    const token = `t-${crypto.randomUUID()}`;
    const child = new Deno.Command(Deno.execPath(), {
      args: [...RUN, "--http", "--port", "0", "--file", `${dir}/agent.yaml`],
      cwd: dir,
      env: env({ AUTOLIZA_MCP_TOKEN: token }),
      clearEnv: true,
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const lines = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
    let seen = "";
    while (!/http:\/\/127\.0\.0\.1:\d+\/mcp/.test(seen)) {
      const { value, done } = await lines.read();
      if (done) throw new Error(`serve ended: ${seen}`);
      seen += value;
    }
    const url = new URL(seen.match(/http:\/\/127\.0\.0\.1:\d+\/mcp/)![0]);
    assert.ok(!seen.includes(token), "a token from the environment is not printed");
    const connect = async (bearer: string) => {
      const client = new Client({ name: "sdk-test-host", version: "1.0.0" });
      await client.connect(
        new StreamableHTTPClientTransport(url, {
          requestInit: { headers: { Authorization: `Bearer ${bearer}` } },
        }),
      );
      return client;
    };
    try {
      await assert.rejects(() => connect("wrong"), /401|bearer/i);
      const rebound = await fetch(url, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, Origin: "http://evil.example" },
        body: "{}",
      });
      assert.equal(rebound.status, 403);
      await rebound.body?.cancel();
      const a = await connect(token);
      const b = await connect(token);
      await a.callTool({ name: "execute_code", arguments: { code: "const mine = 'a'" } });
      const inB = await b.callTool({ name: "execute_code", arguments: { code: "typeof mine" } });
      assert.match(text(inB), /undefined/);
      const inA = await a.callTool({ name: "execute_code", arguments: { code: "mine" } });
      assert.match(text(inA), /a/);
      await a.close();
      await b.close();
    } finally {
      child.kill("SIGTERM");
      await child.status;
      await lines.cancel().catch(() => {});
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});

Deno.test({
  name: "cli mcp serve asks the host's user through elicitation before a destructive tool runs",
  ignore: !ref,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await workspace();
    const open = async (elicitation: boolean) => {
      const client = new Client(
        { name: "sdk-test-host", version: "1.0.0" },
        { capabilities: elicitation ? { elicitation: {} } : {} },
      );
      const asked: string[] = [];
      if (elicitation) {
        client.setRequestHandler(ElicitRequestSchema, (req: { params: { message: string } }) => {
          asked.push(req.params.message);
          return { action: "accept", content: { allow: true } };
        });
      }
      await client.connect(
        new StdioClientTransport({
          command: Deno.execPath(),
          args: [...RUN, "--file", `${dir}/agent.yaml`],
          cwd: dir,
          env: env(),
          stderr: "pipe",
        }),
      );
      return { client, asked };
    };
    const write = (file: string) => ({
      name: "execute_code",
      arguments: {
        code: `await tools.notes.write_file({ path: ${JSON.stringify(file)}, content: "x" })`,
      },
    });
    try {
      const yes = await open(true);
      const r = await yes.client.callTool(write(`${dir}/notes/a.txt`));
      assert.equal(r.isError, undefined, text(r));
      assert.match(yes.asked[0] ?? "", /notes\.write_file.*a\.txt/);
      assert.equal(await Deno.readTextFile(`${dir}/notes/a.txt`), "x");
      await yes.client.close();
      const no = await open(false);
      const denied = await no.client.callTool(write(`${dir}/notes/b.txt`));
      assert.equal(denied.isError, true);
      assert.match(text(denied), /requires approval and the call was denied/);
      await assert.rejects(() => Deno.stat(`${dir}/notes/b.txt`), Deno.errors.NotFound);
      await no.client.close();
    } finally {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});
