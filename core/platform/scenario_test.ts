/**
 * The scenario on real services: 20 cycles with a scripted model against the NeuroSync
 * emulator, a private Redis (the SCB, in Redis mode) and PostgreSQL reached through a TCP proxy;
 * then faults: 403, 500 and a speech timeout, Redis killed and restarted, PostgreSQL cut in the
 * middle of a cycle. The loop must keep cycling, reconnect, and lose no memory or tool_usage row.
 * It runs on an empty database and on one with the platform's real schema and the old agent's
 * rows, which the agent takes over: no write fails there, the old goals reach the prompt, and
 * the old agent's own queries still read everything correctly afterwards.
 * Ignored without DATABASE_URL and REDIS_URL outside CI (it starts its own redis-server).
 */
import assert from "node:assert/strict";
import { memoryLogger } from "../log.ts";
import { PgClient } from "../memory/pg_client.ts";
import { SEARCH_SESSION_SQL } from "../memory/migrations.ts";
import { serviceUrl } from "../testing/services.ts";
import { startScriptedModelServer } from "../testing/scripted_model_server.ts";
import type { CycleRecord } from "./decision_loop.ts";
import { FIXTURE_AGENT, loopFixture } from "./loop_fixture.ts";
import { startNeuroSyncEmulator } from "./neurosync_emulator.ts";
import { startRedisProcess } from "./redis_process.ts";
import { RedisScbClient } from "./scb_redis_client.ts";
import { startTcpProxy } from "./tcp_proxy.ts";
import { createPlatformDatabase, type OldAgentRows } from "../memory/platform_fixture.ts";
import {
  oldGetMemories,
  oldRetrieveFromArchive,
  oldToolEffectiveness,
} from "../memory/old_agent_reads.ts";

const db = serviceUrl("DATABASE_URL");
const redis = serviceUrl("REDIS_URL");

type Call = { name: string; arguments: Record<string, unknown> };
const ACTIONS: Call[] = [
  { name: "send_to_vtuber", arguments: { text: "Chat, what should we play?" } },
  { name: "update_scb", arguments: { description: "viewer poll", mood: "curious" } },
  { name: "update_context", arguments: { text: "Polls raise engagement", type: "insight" } },
  { name: "direct_vtuber_speech", arguments: { text: "Thank the new followers" } },
];

for (const platform of [false, true]) {
  Deno.test({
    name: `the loop survives avatar, Redis and PostgreSQL faults without losing a row, on ${
      platform ? "the platform's database" : "an empty database"
    }`,
    ignore: !db || !redis,
    sanitizeOps: false,
    sanitizeResources: false,
    fn: () => scenario(platform),
  });
}

async function scenario(platform: boolean): Promise<void> {
  {
    const target = new URL(db!);
    const schema = `vt_scenario_${crypto.randomUUID().replaceAll("-", "").slice(0, 10)}`;
    const admin = new PgClient({ url: db!, max: 1 });
    await admin.exec(`CREATE EXTENSION IF NOT EXISTS vector; CREATE SCHEMA ${schema}`);
    const proxy = startTcpProxy({ hostname: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(db!);
    viaProxy.hostname = "127.0.0.1";
    viaProxy.port = String(proxy.port);
    const sql = new PgClient({
      url: viaProxy.toString(),
      sessionSql: [`SET search_path TO ${schema}, public`, ...SEARCH_SESSION_SQL],
    });
    const old = platform ? await createPlatformDatabase(sql) : undefined;
    const agent = old?.agentId ?? FIXTURE_AGENT;
    const rp = await startRedisProcess();
    const emu = startNeuroSyncEmulator({ redisUrl: rp.url });
    let plan: Call[] = [];
    let onModel: (() => void) | undefined;
    const prompts: string[] = [];
    const model = startScriptedModelServer({
      script: (req) => {
        const messages = req.body?.messages as { role: string; content: string }[];
        if (messages.at(-1)!.role === "tool") return { content: "ok" };
        prompts.push(messages.map((m) => m.content).join("\n"));
        onModel?.();
        onModel = undefined;
        return { toolCalls: plan };
      },
    });
    const scb = new RedisScbClient({ url: rp.url });
    const { logger } = memoryLogger();
    const f = await loopFixture({
      modelUrl: model.url,
      speechUrl: emu.speechUrl,
      scb,
      sql,
      log: logger,
      vtuberTimeoutMs: 500,
      agentId: agent,
    });
    const records: CycleRecord[] = [];
    const cycle = async (calls: Call[]) => {
      plan = calls;
      const r = await f.loop.runOnce();
      records.push(r);
      return r;
    };
    try {
      await emu.setSummary("a calm evening stream");
      for (let i = 0; i < 20; i++) {
        const r = await cycle([ACTIONS[i % ACTIONS.length]!]);
        assert.equal(r.status, "ok", `cycle ${r.id}: ${r.errors.join("; ")}`);
        assert.ok(r.toolCalls.every((c) => c.ok), JSON.stringify(r.toolCalls));
      }
      assert.equal(emu.maxConcurrentSpeech, 1);
      assert.equal(await f.writes.flush(10_000), 0, "every write of the 20 cycles committed");
      assert.equal(f.writes.retries, 0, "no write failed (no foreign key, NOT NULL or CHECK)");
      if (old) {
        const goals = prompts[0]!.slice(prompts[0]!.indexOf("## Goals and strategy"));
        for (const text of old.factTexts.slice(0, 2)) {
          assert.ok(goals.includes(text), `the old agent's goal "${text}" is in the prompt`);
        }
      }

      emu.setWindowOpen(false);
      const closed = await cycle([ACTIONS[0]!]);
      assert.ok(closed.toolCalls[0]!.ok, "a closed job window is not a tool failure");
      emu.setWindowOpen(true);
      await new Promise((r) => setTimeout(r, 250)); // the client's 403 backoff
      emu.fault("/process_text", { status: 500, count: 1 });
      const failed = await cycle([ACTIONS[0]!]);
      assert.match(failed.toolCalls[0]!.error ?? "", /\(500\)/);
      emu.fault("/process_text", { delayMs: 1_500, count: 1 });
      const slow = await cycle([ACTIONS[3]!]);
      assert.match(slow.toolCalls[0]!.error ?? "", /not retried/);
      const spokenBefore = emu.spoken.length;

      await rp.stop();
      const noRedis = await cycle([ACTIONS[1]!]);
      assert.equal(noRedis.status, "ok");
      assert.match(noRedis.errors.join(), /^scb: /);
      assert.equal(noRedis.toolCalls[0]!.ok, false);
      await rp.start();
      let back: CycleRecord | undefined;
      for (let i = 0; i < 6 && !back?.toolCalls[0]?.ok; i++) back = await cycle([ACTIONS[1]!]);
      assert.ok(back!.toolCalls[0]!.ok, `SCB did not recover: ${JSON.stringify(back)}`);

      onModel = () => {
        proxy.cut();
        setTimeout(() => proxy.restore(), 1_500);
      };
      const cut = await cycle([ACTIONS[2]!, ACTIONS[0]!]);
      assert.equal(cut.status, "ok");
      assert.equal(cut.toolCalls.length, 2);
      for (let i = 0; i < 3; i++) {
        const r = await cycle([ACTIONS[i % ACTIONS.length]!]);
        assert.equal(r.status, "ok", r.errors.join("; "));
      }
      assert.equal(await f.writes.flush(30_000), 0, "pending writes after the outage");
      assert.ok(f.writes.retries > 0, "the outage made some writes retry");
      assert.ok(emu.spoken.length > spokenBefore);

      const count = async (where: string) =>
        Number(
          (await admin.query<{ n: string }>(
            `SELECT count(*) AS n FROM ${schema}.${where}`,
          ))[0]!.n,
        );
      const calls = records.flatMap((r) => r.toolCalls);
      assert.equal(
        await count(`tool_usage WHERE agent_id = '${agent}' AND metadata ? 'cycle'`),
        calls.length,
        "one tool_usage row per call",
      );
      const ok = (name: string) => calls.filter((c) => c.tool === name && c.ok).length;
      const oldFacts = old ? old.factTexts.length : 0;
      assert.equal(await count(`memories WHERE "type" = 'facts'`), ok("update_context") + oldFacts);
      assert.equal(
        await count(`memories WHERE "content"->>'type' = 'scb_update'`),
        ok("update_scb") + (old ? 1 : 0),
      );
      assert.equal(
        await count(`memories WHERE "content"->>'type' = 'cycle_result'`),
        records.filter((r) => r.toolCalls.length).length,
      );
      const failedRows = await count(`tool_usage WHERE NOT success`);
      assert.equal(failedRows, calls.filter((c) => !c.ok).length);
      if (old) await oldAgentStillReads(sql, old, ok("update_context"));
    } finally {
      f.writes.stop();
      await scb.close();
      await model.close();
      await emu.close();
      await rp.stop();
      await sql.close();
      await proxy.close();
      await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    }
  }
}

/** The old agent's own queries, after the takeover: one row per memory, both archive formats. */
async function oldAgentStillReads(sql: PgClient, old: OldAgentRows, ourFacts: number) {
  const facts = await oldGetMemories(sql, { tableName: "facts", count: 100 });
  assert.equal(facts.length, old.factTexts.length + ourFacts, "one row per memory");
  assert.equal(new Set(facts.map((f) => f.id)).size, facts.length);
  assert.ok(facts.every((f) => f.hasEmbedding), "every fact has its dim_384 vector");
  const unique = await oldGetMemories(sql, { tableName: "facts", count: 20, unique: true });
  assert.ok(unique.some((f) => f.content.text === old.factTexts[0]));
  const archived = await oldRetrieveFromArchive(sql, old.agentId, "retro platformer");
  assert.equal(archived[0]?.memory_id, old.archivedMemoryId);
  const uses = await oldToolEffectiveness(sql);
  assert.ok((uses.get("scb_controller") ?? 0) > 1, "our UPDATE_SCB rows group with the old ones");
  assert.ok((uses.get("context_manager") ?? 0) > 1);
}
