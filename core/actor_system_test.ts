/** Behaviour of the actor system: ask/tell, validation, permissions, supervision. */
import assert from "node:assert/strict";
import { ActorSystem, type Escalation } from "./actor_system.ts";
import {
  ActorCrashedError,
  ActorReplyError,
  ActorUnavailableError,
  AskAbortedError,
  AskTimeoutError,
  LoadError,
  MalformedMessageError,
} from "./errors.ts";
import { memoryLogger } from "./log.ts";

const PROBE = new URL("./testdata/actors/probe.ts", import.meta.url).href;
const FAST = { baseBackoffMs: 5, maxBackoffMs: 20 };

function system(escalations: Escalation[] = []) {
  const { logger, records } = memoryLogger();
  const sys = new ActorSystem({
    log: logger,
    restart: FAST,
    onEscalate: (e) => escalations.push(e),
  });
  return { sys, records };
}

function waitFor(cond: () => boolean, what: string, ms = 5_000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (cond()) return resolve();
      if (Date.now() - start > ms) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 5);
    };
    tick();
  });
}

Deno.test("actor replies to an ask with its own name", async () => {
  const { sys } = system();
  const ref = await sys.spawn(PROBE, { name: "p1" });
  assert.deepEqual(await ref.ask({ type: "echo", text: "hi" }), { text: "hi", from: "p1" });
  await sys.shutdown();
});

Deno.test("tell delivers without a reply, in order with later asks", async () => {
  const { sys } = system();
  const ref = await sys.spawn(PROBE);
  assert.equal(ref.tell({ type: "echo", text: "a" }), true);
  ref.tell({ type: "echo", text: "b" });
  assert.equal(await ref.ask({ type: "count" }), 3);
  await sys.shutdown();
});

Deno.test("ask rejects with AskTimeoutError and a late reply is ignored", async () => {
  const { sys } = system();
  const ref = await sys.spawn(PROBE);
  await assert.rejects(ref.ask({ type: "sleep", ms: 300 }, { timeoutMs: 20 }), AskTimeoutError);
  assert.deepEqual(await ref.ask({ type: "echo", text: "still" }), {
    text: "still",
    from: "probe",
  });
  await sys.shutdown();
});

Deno.test("ask is cancelled through its AbortSignal", async () => {
  const { sys } = system();
  const ref = await sys.spawn(PROBE);
  const controller = new AbortController();
  const pending = ref.ask({ type: "sleep", ms: 300 }, { signal: controller.signal });
  controller.abort();
  await assert.rejects(pending, AskAbortedError);
  const aborted = AbortSignal.abort();
  await assert.rejects(ref.ask({ type: "count" }, { signal: aborted }), AskAbortedError);
  await sys.shutdown();
});

Deno.test("a malformed message is rejected naming the message type and field", async () => {
  const { sys } = system();
  const ref = await sys.spawn(PROBE);
  await assert.rejects(ref.ask({ type: "echo", text: 5 }), (e: Error) => {
    assert.ok(e instanceof MalformedMessageError, e.constructor.name);
    assert.match(e.message, /"echo" message/);
    assert.match(e.message, /field "text"/);
    return true;
  });
  await assert.rejects(ref.ask({ type: "nope" }), /"nope" message.*field "type"/);
  await assert.rejects(ref.ask({ type: "echo", text: () => 1 }), MalformedMessageError);
  assert.equal(ref.status, "running");
  await sys.shutdown();
});

Deno.test("a throw in receive is a failure reply; the actor keeps running", async () => {
  const { sys } = system();
  const ref = await sys.spawn(PROBE);
  await assert.rejects(ref.ask({ type: "throw", message: "bad input" }), (e: Error) => {
    assert.ok(e instanceof ActorReplyError);
    assert.equal(e.remoteName, "TypeError");
    assert.match(e.message, /bad input/);
    return true;
  });
  await assert.rejects(ref.ask({ type: "function_reply" }), /DataCloneError|not cloneable/);
  assert.equal(await ref.ask({ type: "count" }), 3);
  assert.equal(ref.restarts, 0);
  await sys.shutdown();
});

Deno.test("garbage from an isolate is logged and rejected, never crashes the host", async () => {
  const { sys, records } = system();
  sys.registerIsolation("liar", (_url, _name, _perms, events) => ({
    post(msg) {
      if (msg.type === "init") queueMicrotask(() => events.onMessage({ type: "ready" }));
      if (msg.type === "deliver" && msg.id) {
        const id = msg.id;
        queueMicrotask(() => events.onMessage({ type: "failure", id, error: "bad" }));
        queueMicrotask(() => events.onMessage("not an object"));
      }
    },
    terminate: () => Promise.resolve(),
  }));
  const ref = await sys.spawn(PROBE, { isolation: "liar" });
  await assert.rejects(ref.ask({ type: "count" }), (e: Error) => {
    assert.ok(e instanceof MalformedMessageError);
    assert.match(e.message, /"failure" message from actor "probe": field "error"/);
    return true;
  });
  await waitFor(() => records.filter((r) => r.event === "malformed_message").length >= 2, "logs");
  await sys.shutdown(10);
});

const ATTEMPTS = [
  ["read", "/etc/passwd"],
  ["write", "/tmp/actor-escape.txt"],
  ["fetch", "http://127.0.0.1:8123/"],
  ["env", "HOME"],
  ["run", "/usr/bin/id"],
] as const;

for (const [what, arg] of ATTEMPTS) {
  Deno.test(`a worker actor without permission cannot ${what} ${arg}`, async () => {
    const { sys } = system();
    const ref = await sys.spawn(PROBE);
    await assert.rejects(ref.ask({ type: "try", what, arg }), (e: Error) => {
      assert.ok(e instanceof ActorReplyError);
      assert.match(e.message, /NotCapable|Requires (read|write|net|env|run) access/);
      return true;
    });
    await sys.shutdown();
  });
}

Deno.test("a worker actor may read and write inside its declared folder only", async () => {
  const dir = await Deno.makeTempDir();
  const { sys } = system();
  const ref = await sys.spawn(PROBE, { config: { dir } });
  assert.equal(await ref.ask({ type: "try", what: "write", arg: `${dir}/f.txt` }), "written");
  assert.equal(await ref.ask({ type: "try", what: "read", arg: `${dir}/f.txt` }), "x");
  await assert.rejects(ref.ask({ type: "try", what: "read", arg: "/etc/hostname" }), /NotCapable/);
  await sys.shutdown();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a crashed actor is restarted; the ask in flight fails, later asks work", async () => {
  const { sys, records } = system();
  const ref = await sys.spawn(PROBE);
  const inFlight = ref.ask({ type: "sleep", ms: 1_000 });
  ref.tell({ type: "crash_later" });
  // The sleep holds the mailbox, so crash first through a second actor-independent path:
  await assert.rejects(inFlight, ActorCrashedError).catch(() => {});
  await waitFor(() => ref.status === "running" && ref.restarts === 1, "restart");
  assert.equal(await ref.ask({ type: "count" }), 1, "state is fresh after a restart");
  assert.ok(
    records.some((r) => r.event === "actor_crashed" && /uncaught boom/.test(String(r.reason))),
  );
  assert.ok(records.some((r) => r.event === "actor_restarting"));
  await sys.shutdown();
});

Deno.test("messages sent while an actor restarts are delivered after the restart", async () => {
  const { sys } = system();
  const ref = await sys.spawn(PROBE, { restart: { baseBackoffMs: 50, maxBackoffMs: 50 } });
  await ref.ask({ type: "crash_later" });
  await waitFor(() => ref.status === "restarting", "restarting");
  const reply = ref.ask({ type: "echo", text: "queued" });
  assert.deepEqual(await reply, { text: "queued", from: "probe" });
  assert.equal(ref.restarts, 1);
  await sys.shutdown();
});

Deno.test("past its restart budget an actor fails and escalates", async () => {
  const escalations: Escalation[] = [];
  const { sys } = system(escalations);
  const ref = await sys.spawn(PROBE, { restart: { maxRestarts: 2 } });
  for (let i = 0; i < 3; i++) {
    await waitFor(() => ref.status === "running", "running");
    await ref.ask({ type: "crash_later" });
    await waitFor(() => ref.status !== "running", "crash");
  }
  await waitFor(() => ref.status === "failed", "failed");
  assert.equal(ref.restarts, 2);
  assert.equal(escalations.length, 1);
  assert.equal(escalations[0]!.name, "probe");
  await assert.rejects(ref.ask({ type: "count" }), ActorUnavailableError);
  assert.equal(ref.tell({ type: "count" }), false);
  await sys.shutdown();
});

Deno.test("a child past its budget crashes its parent, which restarts", async () => {
  const escalations: Escalation[] = [];
  const { sys } = system(escalations);
  const parent = await sys.spawn(PROBE, { name: "parent" });
  const child = await sys.spawn(PROBE, {
    name: "child",
    parent: "parent",
    restart: { maxRestarts: 0 },
  });
  await child.ask({ type: "crash_later" });
  await waitFor(() => child.status === "failed", "child failed");
  await waitFor(() => parent.restarts === 1 && parent.status === "running", "parent restarted");
  assert.equal(escalations.length, 0);
  await sys.shutdown();
});

Deno.test("an init that throws fails the spawn with the reason", async () => {
  const { sys } = system();
  await assert.rejects(sys.spawn(PROBE, { config: { failInit: true } }), (e: Error) => {
    assert.ok(e instanceof LoadError);
    assert.match(e.message, /init refused by config/);
    return true;
  });
  await assert.rejects(sys.spawn(PROBE, { config: { dir: 5 } }), /field "dir"/);
  assert.deepEqual(sys.list(), []);
});

Deno.test("a broken actor file is reported by path", async () => {
  const { sys } = system();
  const bad = new URL("./testdata/actors/no_receive.ts", import.meta.url).href;
  await assert.rejects(sys.spawn(bad), /no_receive\.ts.*no receive function/);
  await assert.rejects(sys.spawn("./core/testdata/actors/missing.ts"), /Cannot load actor/);
});

Deno.test("actors call supervisor capabilities and each other through it", async () => {
  const { sys } = system();
  sys.provide("math.double", (args) => (args as { n: number }).n * 2);
  const a = await sys.spawn(PROBE, { name: "a" });
  await sys.spawn(PROBE, { name: "b" });
  assert.equal(await a.ask({ type: "call", capability: "math.double", args: { n: 21 } }), 42);
  const viaB = await a.ask({
    type: "call",
    capability: "actor.ask",
    args: { to: "b", msg: { type: "echo", text: "hop" } },
  });
  assert.deepEqual(viaB, { text: "hop", from: "b" });
  await assert.rejects(
    a.ask({ type: "call", capability: "nope", args: null }),
    /Unknown capability "nope"/,
  );
  await sys.shutdown();
});

Deno.test("a stopped actor is unavailable and its name can be reused", async () => {
  const { sys } = system();
  const ref = await sys.spawn(PROBE);
  await sys.stop("probe");
  await assert.rejects(ref.ask({ type: "count" }), ActorUnavailableError);
  const again = await sys.spawn(PROBE);
  assert.equal(await again.ask({ type: "count" }), 1);
  await assert.rejects(sys.spawn(PROBE), /already exists/);
  await sys.shutdown();
});
