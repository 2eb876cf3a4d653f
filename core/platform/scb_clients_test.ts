/**
 * One contract suite for both SCB clients: REST against the emulator, and Redis directly
 * (real Redis; ignored without REDIS_URL outside CI).
 */
import assert from "node:assert/strict";
import { serviceUrl } from "../testing/services.ts";
import { startNeuroSyncEmulator } from "./neurosync_emulator.ts";
import type { ScbService } from "./scb_entry.ts";
import { RedisScbClient } from "./scb_redis_client.ts";
import { RestScbClient } from "./scb_rest_client.ts";

const redisUrl = serviceUrl("REDIS_URL");

async function contract(scb: ScbService, emu: { log(): Promise<{ text: string }[]> }) {
  assert.equal(await scb.ping(), true);
  await scb.event({ type: "event", actor: "user", text: "first message from chat", salience: 0.3 });
  const d = await scb.directive({
    text: "SCB Update: hype - Mood: happy",
    actor: "autonomous_manager",
    ttl: 30,
  });
  assert.equal(d.type, "directive");
  const slice = await scb.slice(600);
  assert.deepEqual(slice.window.map((e) => e.text), [
    "first message from chat",
    "SCB Update: hype - Mood: happy",
  ]);
  assert.equal(slice.window[1]!.ttl, 30);
  assert.equal(typeof slice.window[0]!.t, "number");
  assert.deepEqual((await scb.slice(6)).window.map((e) => e.text), [
    "SCB Update: hype - Mood: happy",
  ]);
  assert.equal((await scb.slice(5)).window.length, 0, "the newest entry alone is over budget");
  assert.equal((await emu.log())[0]!.text, "SCB Update: hype - Mood: happy");
  await assert.rejects(
    scb.event({ type: "event", actor: "", text: "x" }),
    /field "actor"/,
  );
}

Deno.test("the REST SCB client honours the contract and sends the key", async () => {
  await using emu = startNeuroSyncEmulator({ apiKey: "k1", summaryIntervalMs: 0 });
  await emu.setSummary("viewers are excited");
  await contract(new RestScbClient({ baseUrl: emu.url, apiKey: "k1" }), emu);
  assert.equal(
    (await new RestScbClient({ baseUrl: emu.url, apiKey: "k1" }).slice()).summary,
    "viewers are excited",
  );
  const noKey = new RestScbClient({ baseUrl: emu.url });
  assert.equal(await noKey.ping(), false);
  await assert.rejects(noKey.slice(), /answered 401: Unauthorized/);
});

Deno.test("the REST SCB client names the route and status of a fault", async () => {
  await using emu = startNeuroSyncEmulator();
  emu.fault("/scb/directive", { status: 500, count: 1 });
  const scb = new RestScbClient({ baseUrl: emu.url });
  await assert.rejects(scb.directive({ text: "x" }), /POST \/scb\/directive answered 500/);
  await assert.rejects(scb.directive({ text: "" }), /'text' is required/);
});

Deno.test({
  name: "the Redis SCB client honours the contract with LPUSH and LTRIM",
  ignore: !redisUrl,
  fn: async () => {
    const prefix = `scbtest:${crypto.randomUUID()}`;
    const keys = { logKey: `${prefix}:log`, summaryKey: `${prefix}:summary`, maxLines: 5 };
    await using emu = startNeuroSyncEmulator({
      redisUrl: redisUrl!,
      ...keys,
      summaryIntervalMs: 0,
    });
    const scb = new RedisScbClient({ url: redisUrl!, ...keys });
    try {
      await emu.setSummary("from redis");
      await contract(scb, emu);
      assert.equal((await scb.slice()).summary, "from redis");
      for (let i = 0; i < 10; i++) await scb.event({ type: "event", actor: "user", text: `m${i}` });
      const log = await emu.log();
      assert.equal(log.length, 5, "LTRIM keeps maxLines entries");
      assert.equal(log[0]!.text, "m9");
    } finally {
      const { Redis } = await import("ioredis");
      const r = new Redis(redisUrl!);
      await r.del(keys.logKey, keys.summaryKey);
      await r.quit();
      await scb.close();
    }
  },
});
