/**
 * The VTuber tools through the real registry, against the NeuroSync emulator and an in-memory
 * PGlite store: speech suggestions and directives, SCB updates with their memory row, context
 * facts, research with and without a backend, and API posts behind the allow-list.
 */
import { withWriterParams } from "../core/platform/loop_tools.ts";
import { loopScope } from "../core/memory/eliza_ids.ts";
import assert from "node:assert/strict";
import { memoryLogger } from "../core/log.ts";
import { HashEmbedder } from "../core/memory/hash_embedder.ts";
import { MemoryStore } from "../core/memory/memory_store.ts";
import { testPglite } from "../core/memory/testing.ts";
import { startNeuroSyncEmulator } from "../core/platform/neurosync_emulator.ts";
import { memoryFromStore } from "../core/platform/platform_services.ts";
import { RestScbClient } from "../core/platform/scb_rest_client.ts";
import { VtuberClient } from "../core/platform/vtuber_client.ts";
import { openRegistry } from "../core/tools/registry.ts";

const AGENT = "00000000-0000-4000-8000-0000000000aa";

async function setup(approve = false) {
  const emu = startNeuroSyncEmulator();
  const db = await testPglite();
  const store = await MemoryStore.open(db.sql, { embedder: new HashEmbedder(384) });
  const registry = await openRegistry({
    dir: new URL(".", import.meta.url).pathname,
    log: memoryLogger().logger,
    approver: () => approve,
    config: {
      tools: {
        ...withWriterParams({}, AGENT, "Autoliza"),
      },
    },
  });
  const services = {
    vtuber: new VtuberClient({ url: emu.speechUrl }),
    scb: new RestScbClient({ baseUrl: emu.url }),
    memory: memoryFromStore(store, AGENT),
  };
  return {
    emu,
    store,
    registry,
    services,
    [Symbol.asyncDispose]: async () => {
      await emu.close();
      await db.cleanup();
    },
  };
}

Deno.test("send_to_vtuber speaks a suggestion and direct_vtuber_speech a manager directive", async () => {
  await using t = await setup();
  const a = await t.registry.call("send_to_vtuber", { text: "Ask chat about games" }, t);
  assert.deepEqual(a.ok && (a.value as { spoken: boolean }).spoken, true);
  const b = await t.registry.call("direct_vtuber_speech", { text: "Welcome the raid" }, t);
  assert.ok(b.ok);
  const ctx = t.emu.spoken.map((s) => s.autonomous_context);
  assert.deepEqual(ctx.map((c) => [c?.is_directive, c?.authority_level]), [
    [false, "assistant"],
    [true, "manager"],
  ]);
});

Deno.test("speech tools report a closed window as not spoken and a 500 as a failure", async () => {
  await using t = await setup();
  t.emu.setWindowOpen(false);
  const closed = await t.registry.call("send_to_vtuber", { text: "hello" }, t);
  assert.ok(closed.ok);
  assert.equal((closed.value as { status: string }).status, "window_closed");
  t.emu.setWindowOpen(true);
  const fresh = {
    ...t,
    services: { ...t.services, vtuber: new VtuberClient({ url: t.emu.speechUrl }) },
  };
  t.emu.fault("/process_text", { status: 500, count: 1 });
  const failed = await fresh.registry.call("send_to_vtuber", { text: "hello" }, fresh);
  assert.equal(failed.ok, false);
  assert.match(!failed.ok ? failed.error.message : "", /Speech failed \(500\)/);
});

Deno.test("update_scb posts the old agent's directive and stores an scb_update memory", async () => {
  await using t = await setup();
  const r = await t.registry.call("update_scb", {
    description: "speedrun hype",
    mood: "excited",
    intensity: 0.8,
  }, t);
  assert.ok(r.ok, JSON.stringify(r));
  const [entry] = await t.emu.log();
  assert.equal(entry!.type, "directive");
  assert.equal(entry!.actor, "autonomous_manager");
  assert.equal(entry!.ttl, 30);
  assert.equal(entry!.text, "SCB Update: speedrun hype - Mood: excited, Intensity: dramatic");
  const saved = await t.store.get((r.value as { memoryId: string }).memoryId);
  assert.equal(saved?.type, "memories");
  assert.equal(saved?.content.type, "scb_update");
  assert.equal(saved?.content.speaker, "Autoliza", "the author, for author-aware search");
  assert.equal(saved?.content.intensity, "dramatic", "the old agent's intensity words");
  assert.equal(saved?.content.text, "SCB Update: speedrun hype", "the old agent's memory text");
  assert.equal(typeof saved?.content.timestamp, "number", "epoch ms, as old rows have");
  assert.equal(saved?.agentId, AGENT);
  const scope = loopScope(AGENT);
  assert.deepEqual([saved?.roomId, saved?.worldId, saved?.entityId], [
    scope.roomId,
    scope.worldId,
    AGENT,
  ], "in the old loop's room, so ElizaOS's room-scoped readers see it");
});

Deno.test("update_context stores a fact the loop reads back as a goal", async () => {
  await using t = await setup();
  const r = await t.registry.call("update_context", {
    text: "Grow chat engagement",
    type: "goal",
    importance: "high",
  }, t);
  assert.ok(r.ok, JSON.stringify(r));
  const facts = await t.services.memory.latestFacts({ kinds: ["goal"] });
  assert.equal(facts[0]?.content.text, "Grow chat engagement");
  assert.equal(facts[0]?.content.source, "autonomous_context_update");
  assert.equal(facts[0]?.content.speaker, "Autoliza");
  const bad = await t.registry.call("update_context", { text: "x", type: "wish" }, t);
  assert.equal(!bad.ok && bad.error.code, "invalid_args");
});

Deno.test("do_research fails clearly without a backend and searches with one", async () => {
  await using t = await setup();
  const none = await t.registry.call("do_research", { query: "speedrun records" }, t);
  assert.match(
    !none.ok ? none.error.message : "",
    /No research backend is configured: set RESEARCH_URL/,
  );
  await using search = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, (req) => {
    const q = new URL(req.url).searchParams.get("q");
    return Response.json({
      results: [{ title: `About ${q}`, url: "https://x.test/1", content: "snippet" }],
    });
  });
  const params = {
    tools: {
      do_research: { params: { searchUrl: `http://127.0.0.1:${search.addr.port}/search` } },
    },
  };
  const registry = await openRegistry({
    dir: new URL(".", import.meta.url).pathname,
    config: params,
    log: memoryLogger().logger,
  });
  const r = await registry.call("do_research", { query: "speedrun records" }, t);
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(
    (r.value as { results: { title: string }[] }).results[0]!.title,
    "About speedrun records",
  );
  const hits = await t.store.search({ text: "speedrun records", type: "memories" });
  assert.equal(hits[0]?.memory.content.type, "research");
});

Deno.test("make_api_post needs approval, refuses hosts off the allow-list and really sends", async () => {
  await using t = await setup(false);
  const received: unknown[] = [];
  await using api = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
    received.push(await req.json());
    return Response.json({ ok: 1 }, { status: 201 });
  });
  const url = `http://127.0.0.1:${api.addr.port}/hook`;
  const denied = await t.registry.call("make_api_post", { url, body: { a: 1 } }, t);
  assert.equal(!denied.ok && denied.error.code, "denied");
  await using ok = await setup(true);
  const offList = await ok.registry.call("make_api_post", { url, body: { a: 1 } }, ok);
  assert.match(!offList.ok ? offList.error.message : "", /not on the make_api_post allow-list/);
  const services = { ...ok.services, apiPostHosts: [`http://127.0.0.1:${api.addr.port}`] };
  const sent = await ok.registry.call("make_api_post", { url, body: { a: 1 } }, { services });
  assert.ok(sent.ok, JSON.stringify(sent));
  assert.equal((sent.value as { status: number }).status, 201);
  assert.deepEqual(received, [{ a: 1 }]);
});
