/**
 * The MCP client against the official reference servers (server-everything, -filesystem,
 * -memory from npm, run by Node): discovery, structured output, bad arguments, a crash in the
 * middle of a call and the restart, approval of a destructive tool, secrets, lazy and eager
 * start, Streamable HTTP, shutdown. Ignored when the servers are not installed (outside CI).
 */
import assert from "node:assert/strict";
import type { Config } from "../config.ts";
import { memoryLogger } from "../log.ts";
import type { ApprovalRequest } from "../tools/call_tool.ts";
import { searchToolsText } from "../tools/meta_tools.ts";
import type { McpServerConfig } from "./config.ts";
import { openRegistryWithMcp } from "./open_registry.ts";
import { referenceServers } from "./testing/reference_servers.ts";
import { waitFor } from "./testing/wait_for.ts";

const ref = await referenceServers();
const test = (name: string, fn: () => Promise<void>) => Deno.test({ name, ignore: !ref, fn });

function open(
  servers: Record<string, McpServerConfig>,
  extra: Parameters<typeof openRegistryWithMcp>[1] = {},
  connection: Parameters<typeof openRegistryWithMcp>[2] = {},
) {
  const { logger, records } = memoryLogger("info");
  return openRegistryWithMcp({ mcpServers: servers } as Pick<Config, "mcpServers">, {
    log: logger,
    mcpFile: null,
    ...extra,
  }, connection).then((s) => ({ ...s, records }));
}

test("the three reference servers' tools are found by search as TypeScript", async () => {
  const memFile = await Deno.makeTempFile();
  const { registry, mcp } = await open({
    everything: ref!.everything(),
    filesystem: ref!.filesystem(await Deno.makeTempDir()),
    memory: { ...ref!.memory(), env: { MEMORY_FILE_PATH: memFile } },
  });
  try {
    assert.deepEqual(mcp.status().map((s) => s.state), ["idle", "idle", "idle"]); // lazy
    const text = await searchToolsText(registry, "add two numbers", 3);
    assert.match(text, /declare namespace everything \{\n {2}\/\*\* .*sum/i);
    assert.match(text, /function get_sum\(input: \{/);
    assert.deepEqual(mcp.status().map((s) => s.state), ["ready", "ready", "ready"]);
    const names = registry.names();
    for (const n of ["everything.get_sum", "filesystem.read_text_file", "memory.create_entities"]) {
      assert.ok(names.includes(n), `${n} in ${names.join(", ")}`);
    }
    assert.ok(names.length >= 30, `${names.length} tools`);
    // outputSchema is the declared return type.
    assert.match(
      await searchToolsText(registry, "everything.get_structured_content", 1),
      /Promise<\{\n\s+\/\*\* Temperature in celsius \*\/\n\s+temperature: number;/,
    );
  } finally {
    await mcp.close();
    registry.close();
  }
});

test("a call returns structuredContent as the value; a bad argument never reaches the server", async () => {
  const { registry, mcp, records } = await open({ everything: ref!.everything() });
  try {
    const r = await registry.call("everything.get_structured_content", { location: "Chicago" });
    assert.deepEqual(r.ok && r.value, {
      temperature: 36,
      conditions: "Light rain / drizzle",
      humidity: 82,
    });
    const bad = await registry.call("everything.get_sum", { a: "x", b: 2 });
    assert.ok(!bad.ok && bad.error.code === "invalid_args");
    assert.match(!bad.ok ? bad.error.message : "", /field "a": expected number, received string/);
    const text = await registry.call("everything.get_sum", { a: 2, b: 3 });
    assert.ok(text.ok && typeof text.value === "string" && text.value.includes("5"));
    const calls = records.filter((x) => x.event === "tool_call").map((x) => [x.tool, x.ok]);
    assert.deepEqual(calls, [
      ["everything.get_structured_content", true],
      ["everything.get_sum", false],
      ["everything.get_sum", true],
    ]);
  } finally {
    await mcp.close();
    registry.close();
  }
});

test("a server's secret env value never comes back in a result", async () => {
  const secret = `sk-test-${crypto.randomUUID()}`;
  const { registry, mcp } = await open({
    everything: { ...ref!.everything(), env: { SERVICE_API_KEY: secret } },
  });
  try {
    const r = await registry.call("everything.get_env", {});
    assert.ok(r.ok);
    const text = JSON.stringify(r.value);
    assert.ok(text.includes("SERVICE_API_KEY"), "the server did get its variable");
    assert.ok(!text.includes(secret), "the value is redacted");
    assert.ok(text.includes("***"));
    // The supervisor's own environment is not passed on to servers either.
    assert.ok(!text.includes("DATABASE_URL") && !text.includes("OPENAI_API_KEY"));
  } finally {
    await mcp.close();
    registry.close();
  }
});

test("a server that crashes mid-call fails that call clearly and comes back", async () => {
  const { registry, mcp } = await open({ everything: ref!.everything() }, {}, {
    connection: { baseDelayMs: 3_000, random: () => 0.99 },
  });
  try {
    assert.ok((await registry.call("everything.echo", { message: "up" })).ok);
    const pid = mcp.status()[0]!.pid!;
    const long = registry.call("everything.trigger_long_running_operation", {
      duration: 30,
      steps: 30,
    });
    await new Promise((r) => setTimeout(r, 300)); // the request is with the server
    Deno.kill(pid, "SIGKILL");
    const r = await long;
    assert.ok(!r.ok && r.error.code === "unavailable", JSON.stringify(r));
    assert.match(!r.ok ? r.error.message : "", /stopped during the call.*signal SIGKILL/);
    // Meanwhile its calls fail at once, saying when it comes back.
    const meanwhile = await registry.call("everything.echo", { message: "x" });
    assert.ok(!meanwhile.ok && meanwhile.error.code === "unavailable");
    assert.match(!meanwhile.ok ? meanwhile.error.message : "", /restart 1 of 5 in \d/);
    await waitFor(() => mcp.status()[0]!.state === "ready", "the restart");
    assert.notEqual(mcp.status()[0]!.pid, pid);
    const back = await registry.call("everything.echo", { message: "back" });
    assert.deepEqual(back.ok && back.value, "Echo: back");
  } finally {
    await mcp.close();
    registry.close();
  }
});

test("a destructive tool waits for approval; denied, nothing is written", async () => {
  const root = await Deno.realPath(await Deno.makeTempDir());
  let release: (yes: boolean) => void = () => {};
  const asked: ApprovalRequest[] = [];
  const { registry, mcp } = await open({ fs: ref!.filesystem(root) }, {
    approver: (req) => {
      asked.push(req);
      return new Promise<boolean>((r) => release = r);
    },
  });
  try {
    const file = `${root}/note.txt`;
    const pending = registry.call("fs.write_file", { path: file, content: "hello" });
    await waitFor(() => asked.length === 1, "the approval request");
    assert.deepEqual(asked[0], { tool: "fs.write_file", args: { path: file, content: "hello" } });
    await assert.rejects(() => Deno.stat(file), Deno.errors.NotFound);
    release(true);
    assert.ok((await pending).ok);
    assert.equal(await Deno.readTextFile(file), "hello");
    const denied = registry.call("fs.write_file", { path: `${root}/no.txt`, content: "x" });
    await waitFor(() => asked.length === 2, "the second approval request");
    release(false);
    const r = await denied;
    assert.ok(!r.ok && r.error.code === "denied");
    await assert.rejects(() => Deno.stat(`${root}/no.txt`), Deno.errors.NotFound);
    // A read-only tool runs without asking; its doc says nothing about approval.
    assert.ok((await registry.call("fs.read_text_file", { path: file })).ok);
    assert.equal(asked.length, 2);
    assert.match(registry.spec("fs.write_file")!.description, /waits for approval/);
    assert.doesNotMatch(registry.spec("fs.read_text_file")!.description, /approval/);
  } finally {
    await mcp.close();
    registry.close();
    await Deno.remove(root, { recursive: true });
  }
});

test("an eager server starts with the session; close stops every server process", async () => {
  const memFile = await Deno.makeTempFile();
  const { registry, mcp } = await open({
    memory: { ...ref!.memory(), env: { MEMORY_FILE_PATH: memFile }, startup: "eager" },
    everything: ref!.everything(),
  });
  await waitFor(() => mcp.status()[0]!.state === "ready", "the eager start");
  assert.equal(mcp.status()[1]!.state, "idle");
  const pid = mcp.status()[0]!.pid!;
  await mcp.close();
  registry.close();
  assert.ok(!(await alive(pid)), `process ${pid} is gone`);
});

test("a server reached over Streamable HTTP, with its header token redacted", async () => {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const { command, args } = ref!.everything("streamableHttp");
  const server = new Deno.Command(command, {
    args,
    env: { PORT: String(port) },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  try {
    const lines = server.stderr.pipeThrough(new TextDecoderStream()).getReader();
    for (let seen = ""; !seen.includes("listening");) seen += (await lines.read()).value ?? "";
    lines.releaseLock();
    const token = `tok-${crypto.randomUUID()}`;
    const { registry, mcp } = await open({
      web: { url: `http://127.0.0.1:${port}/mcp`, headers: { "X-Api-Token": token } },
    });
    try {
      const r = await registry.call("web.get_sum", { a: 40, b: 2 });
      assert.ok(r.ok && String(r.value).includes("42"), JSON.stringify(r));
      assert.equal(mcp.status()[0]!.transport, "http");
      const echoed = await registry.call("web.echo", { message: `the token is ${token}` });
      assert.deepEqual(echoed.ok && echoed.value, "Echo: the token is ***");
    } finally {
      await mcp.close();
      registry.close();
    }
  } finally {
    server.kill("SIGKILL");
    await server.status;
    await server.stderr.cancel().catch(() => {});
  }
});

test("a server that cannot start is named in the call's error", async () => {
  const { registry, mcp } = await open(
    { broken: { command: "node", args: ["-e", "process.exit(3)"] } },
    {},
    {
      connection: { maxAttempts: 1 },
    },
  );
  try {
    const r = await registry.call("broken.anything", {});
    assert.ok(!r.ok && r.error.code === "unavailable", JSON.stringify(r));
    assert.match(!r.ok ? r.error.message : "", /MCP server "broken".*exit code 3/);
  } finally {
    await mcp.close();
    registry.close();
  }
});

async function alive(pid: number): Promise<boolean> {
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    return !/^\d+ \(.*\) Z/.test(stat); // a zombie has exited
  } catch {
    return false;
  }
}

test("a resource_link a tool returned is read with <server>.read_resource", async () => {
  const workspace = await Deno.makeTempDir();
  const { registry, mcp } = await open({ everything: ref!.everything() });
  try {
    const links = await registry.call("everything.get_resource_links", { count: 2 });
    assert.ok(links.ok && Array.isArray(links.value));
    const items = (links.ok ? links.value : []) as { type?: string; uri?: string }[];
    const uris = items.filter((x) => x?.type === "resource_link").map((x) => x.uri!);
    assert.equal(uris.length, 2);
    const text = await registry.call("everything.read_resource", {
      uri: uris.find((u) => u.includes("/text/"))!,
    });
    assert.ok(text.ok, JSON.stringify(text));
    const [t] = text.ok ? text.value as { type: string; text?: string }[] : [];
    assert.equal(t?.type, "resource");
    assert.ok(typeof t?.text === "string" && t.text.length > 0);
    const blob = await registry.call("everything.read_resource", {
      uri: uris.find((u) => u.includes("/blob/"))!,
    }, {
      workspaceDir: workspace,
    });
    const [b] = blob.ok ? blob.value as { path?: string; bytes: number }[] : [];
    assert.ok(b?.path, JSON.stringify(blob));
    assert.equal((await Deno.readFile(`${workspace}/${b.path}`)).length, b.bytes);
  } finally {
    await mcp.close();
    registry.close();
    await Deno.remove(workspace, { recursive: true });
  }
});
