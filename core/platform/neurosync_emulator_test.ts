/**
 * The emulator behaves like the platform's servers where a client can notice (checked against
 * the real Flask Local API and Player run locally, see ../shared/contracts/neurosync.md): two
 * servers with HTML errors for each other's routes, the slice budget, directive normalisation,
 * bodies ignored as the real routes ignore them, the summarizer that freezes, and the one-way
 * switch to private memory after a Redis error that splits the platform.
 */
import assert from "node:assert/strict";
import { serviceUrl } from "../testing/services.ts";
import { summarize } from "./emulator_store.ts";
import { startNeuroSyncEmulator } from "./neurosync_emulator.ts";
import { startRedisProcess } from "./redis_process.ts";

const redis = serviceUrl("REDIS_URL");

const post = (url: string, body: string, type = "application/json") =>
  fetch(url, { method: "POST", headers: { "content-type": type }, body });

Deno.test("two servers: each answers Werkzeug HTML pages for the other's routes", async () => {
  await using emu = startNeuroSyncEmulator({ summaryIntervalMs: 0 });
  const page = async (r: Promise<Response>) => {
    const res = await r;
    return [res.status, res.headers.get("content-type"), (await res.text()).split("\n")[2]];
  };
  assert.deepEqual(await page(fetch(`${emu.playerUrl}/scb/ping`)), [
    404,
    "text/html; charset=utf-8",
    "<title>404 Not Found</title>",
  ]);
  assert.equal((await page(post(`${emu.url}/process_text`, '{"text":"x"}')))[0], 404);
  assert.equal((await page(fetch(`${emu.url}/scb/slice`, { method: "POST" })))[0], 405);
  assert.equal((await page(fetch(emu.speechUrl)))[0], 405);
  assert.equal((await page(post(`${emu.url}/scb/directive`, '{"text": 5}')))[0], 500);
});

Deno.test("slice budget, directive normalisation and ignored bodies are the Local API's", async () => {
  await using emu = startNeuroSyncEmulator({ summaryIntervalMs: 0 });
  const slice = async (tokens: string) =>
    ((await (await fetch(`${emu.url}/scb/slice?tokens=${tokens}`)).json()).window as {
      text: string;
    }[]).map((e) => e.text);
  await post(`${emu.url}/scb/directive`, '{"text": "  one two three  ", "ttl": "1.5", "actor": 7}');
  await post(`${emu.url}/scb/directive`, '{"text": "four", "ttl": 30}');
  const raw = (await (await fetch(`${emu.url}/scb/slice`)).json()).window;
  assert.deepEqual(raw.map((e: Record<string, unknown>) => [e.text, e.ttl, e.actor]), [
    ["one two three", 15, 7],
    ["four", 30, "planner"],
  ], "stripped; ttl kept only when str(ttl).isdigit(); a non-string actor kept");
  assert.deepEqual(await slice("4"), ["one two three", "four"]);
  assert.deepEqual(await slice("3"), ["four"]);
  await post(`${emu.url}/scb/directive`, '{"text": "five six seven eight"}');
  assert.deepEqual(await slice("3"), [], "the newest entry alone is over the budget");
  assert.deepEqual(await slice("0"), []);
  assert.equal((await slice("lots")).length, 3, "not an integer: the default 600");
  const count = async () => (await (await fetch(`${emu.url}/scb/slice`)).json()).window.length;
  const before = await count();
  const plain = await post(
    `${emu.url}/scb/event`,
    '{"type":"e","actor":"a","text":"t"}',
    "text/plain",
  );
  assert.deepEqual([plain.status, await plain.json()], [200, { status: "ok" }]);
  assert.equal((await post(`${emu.url}/scb/event`, "[1]")).status, 400);
  await (await post(`${emu.url}/scb/event`, '{"type": "e", "actor": "a"}')).body?.cancel();
  assert.equal(await count(), before, "nothing stored from any of them");
});

Deno.test("the summarizer keeps the oldest lines that fit 200 words, so it freezes", () => {
  const entry = (text: string, actor = "user", salience = 0.3) => ({
    type: "event",
    actor,
    text,
    salience,
    t: 1,
  });
  const important = Array.from(
    { length: 5 },
    (_, i) => entry(`${"word ".repeat(39)}${i}`, "mod", 0.9),
  );
  const newestFirst = [
    entry("brand new line"),
    ...Array.from({ length: 20 }, () => entry("x")),
    ...important,
  ];
  const summary = summarize(newestFirst);
  assert.match(summary, /^\[mod\] word/);
  assert.ok(!summary.includes("brand new line"), "the newest line does not fit any more");
  assert.equal(
    summarize([entry("changed"), ...newestFirst]),
    summary,
    "more lines do not change it: frozen",
  );
  assert.equal(
    summarize([{ type: "directive", actor: "autonomous_manager", text: "go", t: 1 }, entry("hi")]),
    "User: hi\n[Directive from autonomous_manager] go",
  );
});

Deno.test({
  name: "one Redis error switches each server to private memory for good: the platform splits",
  ignore: !redis,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const rp = await startRedisProcess();
    await using emu = startNeuroSyncEmulator({ redisUrl: rp.url, summaryIntervalMs: 0 });
    try {
      await emu.chat("before the blip");
      assert.deepEqual(emu.modes(), { api: "redis", player: "redis" });
      await rp.stop();
      const res = await post(emu.speechUrl, '{"text": "during the blip"}');
      await res.body?.cancel();
      await fetch(`${emu.url}/scb/slice`).then((r) => r.body?.cancel());
      assert.deepEqual(emu.modes(), { api: "memory", player: "memory" });
      await rp.start();
      await post(`${emu.url}/scb/directive`, '{"text": "after the blip"}').then((r) =>
        r.body?.cancel()
      );
      assert.deepEqual(emu.modes(), { api: "memory", player: "memory" }, "never reconnects");
      assert.deepEqual((await emu.log()).map((e) => e.text), ["after the blip"]);
      assert.ok(
        !(await emu.playerLog()).some((e) => e.text === "after the blip"),
        "the directive never reaches the avatar",
      );
    } finally {
      await rp.stop();
    }
  },
});
