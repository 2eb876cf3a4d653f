/**
 * Tests of the subprocess host: frames, permissions, kill, restart, heap cap, RSS watchdog, and
 * bounded output. Its inspector transports are tested with the kernel
 * (core/kernel/kernel_transport_test.ts).
 */
import assert from "node:assert/strict";
import { type ExitInfo, SubprocessHost } from "./subprocess_host.ts";
import { permissionFlags } from "./subprocess_command.ts";
import type { SubprocessHostOptions } from "./subprocess_host.ts";
import { memoryLogger } from "./log.ts";
import { FRAME_PREFIX } from "./protocol.ts";
import { FRAME_PREFIX as STDIO_PREFIX } from "./subprocess_stdio.ts";

const ENTRY = new URL("./testdata/echo_child.ts", import.meta.url);

type Reply = { id: number; ok: boolean; value?: unknown; error?: string };

function harness(extra: Partial<SubprocessHostOptions> = {}) {
  const replies = new Map<number, PromiseWithResolvers<Reply>>();
  const ready = Promise.withResolvers<void>();
  const exit = Promise.withResolvers<ExitInfo>();
  const output: string[] = [];
  let nextId = 1;
  const host = new SubprocessHost({
    name: "echo",
    entry: ENTRY,
    permissions: {},
    log: memoryLogger().logger,
    onFrame(frame) {
      const f = frame as Reply & { type?: string };
      if (f.type === "ready") return ready.resolve();
      replies.get(f.id)?.resolve(f);
    },
    onOutput: (stream, text) => output.push(`${stream}:${text}`),
    onExit: (info) => exit.resolve(info),
    ...extra,
  });
  const ask = (op: string, arg?: string): Promise<Reply> => {
    const id = nextId++;
    const p = Promise.withResolvers<Reply>();
    replies.set(id, p);
    host.send({ id, op, arg });
    return p.promise;
  };
  return {
    host,
    ask,
    ready: ready.promise,
    exit: exit.promise,
    output,
  };
}

Deno.test("subprocess host exchanges frames and passes other output through", async () => {
  const h = harness();
  await h.host.start();
  await h.ready;
  assert.deepEqual(await h.ask("echo", "hi"), { id: 1, ok: true, value: "hi" });
  assert.equal((await h.ask("print", "plain text")).ok, true);
  assert.ok(h.output.includes("stdout:plain text"));
  assert.ok(h.output.includes("stderr:plain text"));
  await h.host.kill();
});

Deno.test("subprocess host enforces permission flags and clears the environment", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/ok.txt`, "inside");
  const h = harness({ permissions: { read: [dir] } });
  await h.host.start();
  await h.ready;
  assert.deepEqual((await h.ask("read", `${dir}/ok.txt`)).value, "inside");
  assert.match((await h.ask("read", "/etc/passwd")).error ?? "", /NotCapable.*read access/);
  assert.match((await h.ask("write", `${dir}/w.txt`)).error ?? "", /NotCapable.*write access/);
  assert.match((await h.ask("net", "http://127.0.0.1:8/")).error ?? "", /NotCapable.*net access/);
  assert.match((await h.ask("run")).error ?? "", /NotCapable.*run access/);
  assert.match((await h.ask("env")).error ?? "", /NotCapable.*env access/);
  await h.host.kill();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("subprocess host gives the child only the env it was given", async () => {
  const h = harness({ permissions: { env: true }, env: { ONLY: "this" } });
  await h.host.start();
  await h.ready;
  const env = (await h.ask("env")).value as Record<string, string>;
  assert.equal(env.ONLY, "this");
  assert.equal(env.HOME, undefined);
  assert.ok(!(env.PATH ?? "").includes("/usr/bin"), `PATH leaked: ${env.PATH}`);
  await h.host.kill();
});

Deno.test("subprocess host kill reports killed and restart runs a fresh child", async () => {
  const h = harness();
  await h.host.start();
  await h.ready;
  const firstPid = h.host.pid;
  await h.host.kill("test");
  assert.equal(h.host.running, false);
  assert.equal((await h.exit).reason, "killed");
  const h2 = harness();
  await h2.host.start();
  await h2.ready;
  await h2.host.restart();
  assert.equal(h2.host.running, true);
  assert.notEqual(h2.host.pid, firstPid);
  assert.equal((await h2.ask("echo", "again")).value, "again");
  await h2.host.kill();
});

Deno.test("subprocess host reports a child's own exit code", async () => {
  const h = harness();
  await h.host.start();
  await h.ready;
  h.host.send({ id: 99, op: "exit", arg: "3" });
  assert.deepEqual(await h.exit, { code: 3, signal: null, reason: "exited" });
  assert.equal(h.host.running, false);
  assert.throws(() => h.host.send({}), /no stdin/);
});

Deno.test("subprocess host heap cap kills only the child on a heap bomb", async () => {
  const h = harness({ heapMb: 64 });
  await h.host.start();
  await h.ready;
  h.host.send({ id: 1, op: "heap_bomb" });
  const info = await h.exit;
  assert.equal(info.reason, "heap_oom");
  assert.equal(h.host.running, false);
});

Deno.test("subprocess host RSS watchdog kills an ArrayBuffer bomb", async () => {
  const h = harness({ rssMb: 200, heapMb: 64 });
  await h.host.start();
  await h.ready;
  // The first sample arrives once the watchdog runs (the probe helper takes a moment to start).
  for (let i = 0; i < 250 && h.host.rssBytes() === undefined; i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
  const rss = h.host.rssBytes() ?? 0;
  assert.ok(rss > 10e6 && rss < 200e6, `idle RSS ${rss}`);
  h.host.send({ id: 1, op: "ab_bomb" });
  const info = await h.exit;
  assert.equal(info.reason, "rss_limit");
  assert.equal(info.signal, "SIGKILL");
});

Deno.test("netns isolation that cannot be had is a clear error", async () => {
  // A supervisor that may not run unshare cannot make a private network namespace.
  const dir = await Deno.makeTempDir({ prefix: "netns-" });
  const module = new URL("./inspector_isolation.ts", import.meta.url).href;
  await Deno.writeTextFile(
    `${dir}/probe.ts`,
    `import { isolationPlan } from ${JSON.stringify(module)};\n` +
      `try { await isolationPlan("netns"); console.log("no error"); }\n` +
      `catch (e) { console.log(e.message); }\n`,
  );
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", "--no-config", "--allow-read", `${dir}/probe.ts`],
    stdout: "piped",
    stderr: "piped",
  }).output();
  await Deno.remove(dir, { recursive: true });
  const text = new TextDecoder().decode(out.stdout);
  assert.match(text, /kernel.isolation is "netns" but .*may not run the sandbox launcher/);
});

Deno.test("permission flags deny by default and resolve relative paths", () => {
  assert.deepEqual(permissionFlags({}, "/w"), ["--deny-import"]);
  assert.deepEqual(
    permissionFlags({ read: ["data", "/abs/../x"], write: ["./out"], net: ["a.com"] }, "/w/"),
    ["--allow-read=/w/data,/x", "--allow-write=/w/out", "--allow-net=a.com", "--deny-import"],
  );
  assert.deepEqual(permissionFlags({ env: true, sys: false, import: true }, "/"), [
    "--allow-env",
    "--allow-import",
  ]);
  assert.throws(() => permissionFlags({ read: ["a,b"] }, "/"), /permissions.read: bad entry/);
});

Deno.test("subprocess host rejects bad options with a clear error", () => {
  const log = memoryLogger().logger;
  const base = { name: "x", entry: ENTRY, permissions: {}, log, onFrame() {} };
  assert.throws(() => new SubprocessHost({ ...base, heapMb: 0 }), /heapMb must be > 0/);
  assert.throws(() => new SubprocessHost({ ...base, name: "" }), /"name" is required/);
});

Deno.test("subprocess stdio uses the protocol's frame prefix", () => {
  assert.equal(STDIO_PREFIX, FRAME_PREFIX);
});
