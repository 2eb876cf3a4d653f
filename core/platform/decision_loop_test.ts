/**
 * The decision loop end to end on PGlite: a scripted tool-calling model, the real registry and
 * tools, the NeuroSync emulator. Checks context, calls, tool_usage rows, budgets and failures.
 */
import assert from "node:assert/strict";
import { memoryLogger } from "../log.ts";
import { testPglite } from "../memory/testing.ts";
import { startScriptedModelServer } from "../testing/scripted_model_server.ts";
import { FIXTURE_AGENT, loopFixture } from "./loop_fixture.ts";
import { startNeuroSyncEmulator } from "./neurosync_emulator.ts";
import { RestScbClient } from "./scb_rest_client.ts";

const speak = (text: string) => ({ toolCalls: [{ name: "send_to_vtuber", arguments: { text } }] });

Deno.test("a cycle reads the SCB and facts, runs the model's tool calls and records them", async () => {
  await using emu = startNeuroSyncEmulator();
  await emu.setSummary("Chat is asking about speedruns");
  await emu.chat("what game is next?");
  await using model = startScriptedModelServer({
    script: [
      {
        toolCalls: [
          { name: "send_to_vtuber", arguments: { text: "Next up: a speedrun!" } },
          { name: "update_scb", arguments: { description: "speedrun talk", mood: "excited" } },
        ],
      },
      { content: "Done for this cycle." },
    ],
  });
  const db = await testPglite();
  const { logger } = memoryLogger();
  const f = await loopFixture({
    modelUrl: model.url,
    speechUrl: emu.speechUrl,
    scb: new RestScbClient({ baseUrl: emu.url }),
    sql: db.sql,
    log: logger,
  });
  try {
    await f.memory.save({
      type: "facts",
      agentId: FIXTURE_AGENT,
      content: { text: "Goal: grow chat", type: "goal", importance: "high" },
    });
    const record = await f.loop.runOnce();
    assert.equal(record.status, "ok", JSON.stringify(record.errors));
    assert.equal(record.stopReason, "done");
    assert.deepEqual(record.toolCalls.map((c) => [c.tool, c.ok]), [["send_to_vtuber", true], [
      "update_scb",
      true,
    ]]);
    const prompt = JSON.stringify(model.chatRequests()[0]!.body);
    for (
      const s of [
        "Chat is asking about speedruns",
        "what game is next?",
        "Goal: grow chat",
        "send_to_vtuber",
      ]
    ) {
      assert.ok(prompt.includes(s), `prompt lacks ${s}`);
    }
    assert.equal(emu.spoken[0]!.text, "Next up: a speedrun!");
    assert.equal(await f.writes.flush(5_000), 0);
    const rows = await db.sql.query<
      { tool_name: string; tool: string; success: boolean; execution_time_ms: number }
    >(
      `SELECT tool_name, metadata->>'tool' AS tool, success, execution_time_ms FROM tool_usage
       ORDER BY id`,
    );
    // The old agent's names, which the platform's tool_effectiveness view groups by.
    assert.deepEqual(rows.map((r) => [r.tool_name, r.tool, r.success]), [
      ["vtuber_prompter", "send_to_vtuber", true],
      ["scb_controller", "update_scb", true],
    ]);
    assert.ok(rows.every((r) => typeof r.execution_time_ms === "number"));
    const cycleMem = await db.sql.query<{ speaker: string }>(
      `SELECT "content"->>'speaker' AS speaker FROM memories
       WHERE "content"->>'type' = 'cycle_result'`,
    );
    assert.deepEqual(cycleMem.map((r) => r.speaker), ["Autoliza"]);
    assert.match(
      f.metrics.render(),
      /autoliza_tool_calls_total\{tool="send_to_vtuber",outcome="success"\} 1/,
    );
  } finally {
    await db.cleanup();
  }
});

Deno.test("a failed cycle is recorded and the loop keeps cycling", async () => {
  await using emu = startNeuroSyncEmulator();
  await using model = startScriptedModelServer({
    script: (_req, i) => (i === 0 ? { status: 500, error: "model down" } : speak(`cycle ${i}`)),
  });
  const db = await testPglite();
  const { logger } = memoryLogger();
  const f = await loopFixture({
    modelUrl: model.url,
    speechUrl: emu.speechUrl,
    scb: new RestScbClient({ baseUrl: emu.url }),
    sql: db.sql,
    log: logger,
    overrides: { maxSteps: 1 },
  });
  try {
    f.loop.start();
    while (f.loop.cycles(10).length < 3) await new Promise((r) => setTimeout(r, 20));
    await f.loop.stop(5_000);
    const cycles = f.loop.cycles(10).reverse();
    assert.equal(cycles[0]!.status, "failed");
    assert.match(cycles[0]!.errors.join(), /model down|500/);
    assert.equal(cycles[1]!.status, "ok");
    assert.equal(cycles[1]!.stopReason, "max_steps");
    assert.ok(Date.parse(cycles[1]!.startedAt) >= Date.parse(cycles[0]!.endedAt));
  } finally {
    await f.writes.flush(5_000);
    await db.cleanup();
  }
});

Deno.test("the time budget aborts a cycle whose model does not answer", async () => {
  await using emu = startNeuroSyncEmulator();
  await using model = startScriptedModelServer({ script: [{ content: "late", delayMs: 3_000 }] });
  const db = await testPglite();
  const f = await loopFixture({
    modelUrl: model.url,
    speechUrl: emu.speechUrl,
    scb: new RestScbClient({ baseUrl: emu.url }),
    sql: db.sql,
    log: memoryLogger().logger,
    overrides: { cycleTimeoutMs: 200 },
  });
  try {
    const record = await f.loop.runOnce();
    assert.equal(record.status, "failed");
    assert.equal(record.stopReason, "time");
  } finally {
    await db.cleanup();
  }
});

Deno.test("a call to a tool the loop does not offer is refused and recorded as failed", async () => {
  await using emu = startNeuroSyncEmulator();
  await using model = startScriptedModelServer({
    script: [{
      toolCalls: [{ name: "make_api_post", arguments: { url: "https://x.test", body: {} } }],
    }, { content: "ok" }],
  });
  const db = await testPglite();
  const f = await loopFixture({
    modelUrl: model.url,
    speechUrl: emu.speechUrl,
    scb: new RestScbClient({ baseUrl: emu.url }),
    sql: db.sql,
    log: memoryLogger().logger,
  });
  try {
    const record = await f.loop.runOnce();
    assert.equal(record.toolCalls[0]!.ok, false);
    assert.match(record.toolCalls[0]!.error!, /not offered/);
    const tools = (model.chatRequests()[0]!.body!.tools as { function: { name: string } }[]).map((
      t,
    ) => t.function.name);
    assert.ok(!tools.includes("make_api_post"));
    assert.ok(tools.includes("direct_vtuber_speech"));
    await f.writes.flush(5_000);
    const rows = await db.sql.query<{ success: boolean }>("SELECT success FROM tool_usage");
    assert.deepEqual(rows.map((r) => r.success), [false]);
  } finally {
    await db.cleanup();
  }
});

Deno.test("stop aborts a cycle that outlives the grace period and the loop ends", async () => {
  await using emu = startNeuroSyncEmulator();
  await using model = startScriptedModelServer({ script: [{ content: "late", delayMs: 5_000 }] });
  const db = await testPglite();
  const { logger, records } = memoryLogger();
  const f = await loopFixture({
    modelUrl: model.url,
    speechUrl: emu.speechUrl,
    scb: new RestScbClient({ baseUrl: emu.url }),
    sql: db.sql,
    log: logger,
  });
  try {
    f.loop.start();
    while (!f.loop.busy) await new Promise((r) => setTimeout(r, 10));
    const t0 = performance.now();
    await f.loop.stop(100);
    assert.ok(performance.now() - t0 < 4_000, "stop did not wait for the model");
    assert.ok(records.some((r) => r.event === "cycle_aborted"));
    const [last] = f.loop.cycles(1);
    assert.equal(last!.status, "failed");
    assert.match(last!.errors.join(), /shutdown/);
  } finally {
    await db.cleanup();
  }
});
