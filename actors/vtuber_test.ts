/** The vtuber and scb actors in permission-restricted workers, against the emulator. */
import assert from "node:assert/strict";
import { ActorSystem } from "../core/actor_system.ts";
import { memoryLogger } from "../core/log.ts";
import { startNeuroSyncEmulator } from "../core/platform/neurosync_emulator.ts";
import scbActor from "./scb.ts";
import vtuberActor from "./vtuber.ts";

Deno.test("the actors' network permission is only their own host", () => {
  const perms = (vtuberActor.permissions as (c: unknown) => { net: string[] })({
    url: "http://neurosync:5001/process_text",
  });
  assert.deepEqual(perms, { net: ["neurosync:5001"] });
  const scb = scbActor.permissions as (c: unknown) => { net: string[]; env?: string[] };
  assert.deepEqual(scb({ mode: "rest", neurosyncUrl: "http://neurosync:5000" }), {
    net: ["neurosync:5000"],
  });
  assert.deepEqual(scb({ mode: "redis", redisUrl: "redis://redis:6379/0" }).net, ["redis:6379"]);
});

Deno.test("the vtuber and scb actors speak and post through restricted workers", async () => {
  await using emu = startNeuroSyncEmulator();
  const system = new ActorSystem({
    log: memoryLogger().logger,
    actorsDir: new URL(".", import.meta.url).pathname,
  });
  try {
    await system.spawn("vtuber", { config: { url: emu.speechUrl } });
    await system.spawn("scb", { config: { mode: "rest", neurosyncUrl: emu.url } });
    const out = await system.ask<{ status: string }>("vtuber", {
      type: "speak",
      text: "hi",
      directive: true,
    });
    assert.equal(out.status, "accepted");
    assert.equal(emu.spoken[0]!.autonomous_context?.authority_level, "manager");
    await system.ask("scb", { type: "directive", directive: { text: "focus", ttl: 30 } });
    const slice = await system.ask<{ window: { text: string }[] }>("scb", { type: "slice" });
    assert.ok(slice.window.some((e) => e.text === "focus"));
    await assert.rejects(system.ask("vtuber", { type: "speak", text: "" }), /text/);
  } finally {
    await system.shutdown();
  }
});
