/** Subprocess actors: same protocol as workers, but stoppable, memory-capped and killable. */
import assert from "node:assert/strict";
import { ActorSystem, type Escalation } from "./actor_system.ts";
import { ActorCrashedError, ActorReplyError } from "./errors.ts";
import { memoryLogger } from "./log.ts";
import { subprocessIsolation } from "./subprocess_actor.ts";

const PROBE = new URL("./testdata/actors/probe.ts", import.meta.url).href;

function system(limits: { heapMb?: number; rssMb?: number } = {}) {
  const { logger, records } = memoryLogger();
  const escalations: Escalation[] = [];
  const sys = new ActorSystem({
    log: logger,
    restart: { baseBackoffMs: 5, maxBackoffMs: 20 },
    onEscalate: (e) => escalations.push(e),
  });
  sys.registerIsolation("subprocess", subprocessIsolation({ log: logger, ...limits }));
  return { sys, records, escalations };
}

async function waitFor(cond: () => boolean, what: string, ms = 15_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

Deno.test("a subprocess actor answers asks in its own process", async () => {
  const { sys } = system();
  const ref = await sys.spawn(PROBE, { isolation: "subprocess" });
  assert.deepEqual(await ref.ask({ type: "echo", text: "hi" }), { text: "hi", from: "probe" });
  const pid = await ref.ask<number>({ type: "pid" });
  assert.notEqual(pid, Deno.pid);
  await assert.rejects(ref.ask({ type: "echo", text: 1 }), /field "text"/);
  await sys.shutdown();
});

Deno.test("a subprocess actor is held to its permission flags", async () => {
  const { sys } = system();
  const ref = await sys.spawn(PROBE, { isolation: "subprocess" });
  for (
    const [what, arg] of [["read", "/etc/passwd"], ["env", "HOME"], ["run", "/usr/bin/id"]] as const
  ) {
    await assert.rejects(ref.ask({ type: "try", what, arg }), (e: Error) => {
      assert.ok(e instanceof ActorReplyError);
      assert.match(e.message, /NotCapable|Requires/);
      return true;
    });
  }
  await sys.shutdown();
});

Deno.test("a spinning subprocess actor is killed by a timeout-driven stop and restarted", async () => {
  const { sys } = system();
  const ref = await sys.spawn(PROBE, { isolation: "subprocess", name: "spinner" });
  const before = await ref.ask<number>({ type: "pid" });
  const spinning = ref.ask({ type: "spin" }, { timeoutMs: 100 });
  await assert.rejects(spinning, /did not reply/);
  await sys.stop("spinner", 100); // the graceful stop cannot run; the process is killed
  const again = await sys.spawn(PROBE, { isolation: "subprocess", name: "spinner" });
  assert.notEqual(await again.ask<number>({ type: "pid" }), before);
  await sys.shutdown();
});

Deno.test("an ArrayBuffer bomb is killed by the RSS watchdog; only the child dies", async () => {
  const { sys, records } = system({ rssMb: 200 });
  const ref = await sys.spawn(PROBE, { isolation: "subprocess" });
  await assert.rejects(ref.ask({ type: "alloc", mb: 2_000 }), ActorCrashedError);
  await waitFor(() => ref.status === "running" && ref.restarts === 1, "restart");
  assert.ok(
    records.some((r) => r.event === "actor_crashed" && /RSS watchdog/.test(String(r.reason))),
  );
  assert.equal(await ref.ask({ type: "count" }), 1);
  await sys.shutdown();
});

Deno.test("a heap bomb hits the V8 heap cap; only the child dies and it restarts", async () => {
  const { sys, records } = system({ heapMb: 64, rssMb: 4_000 });
  const ref = await sys.spawn(PROBE, { isolation: "subprocess" });
  await assert.rejects(ref.ask({ type: "heap_bomb" }), ActorCrashedError);
  await waitFor(() => ref.status === "running" && ref.restarts === 1, "restart");
  const crash = records.find((r) => r.event === "actor_crashed");
  assert.match(String(crash?.reason), /heap/);
  assert.equal(await ref.ask({ type: "count" }), 1);
  await sys.shutdown();
});
