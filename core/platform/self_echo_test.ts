/**
 * No self-echo (issue 15.5): the real Player logs each suggestion the agent speaks into the SCB
 * as `{type:"event", actor:"user", salience:0.3}`, the shape of a viewer's line, and the
 * summarizer turns it into a "User: ..." line. The next prompt must not show either as viewer
 * chat (nor count it as untrusted), while a real viewer's line still shows. The emulator keeps
 * the SCB in a real Redis, as the platform does with USE_REDIS_SCB.
 */
import assert from "node:assert/strict";
import { memoryLogger } from "../log.ts";
import { testPglite } from "../memory/testing.ts";
import { serviceUrl } from "../testing/services.ts";
import { startScriptedModelServer } from "../testing/scripted_model_server.ts";
import { loopFixture } from "./loop_fixture.ts";
import { startNeuroSyncEmulator } from "./neurosync_emulator.ts";
import { RestScbClient } from "./scb_rest_client.ts";

const redis = serviceUrl("REDIS_URL");

Deno.test({
  name: "the agent's own suggestions coming back as chat are not shown as viewer chat",
  ignore: !redis,
  fn: async () => {
    const prefix = `echo:${crypto.randomUUID()}`;
    await using emu = startNeuroSyncEmulator({
      redisUrl: redis!,
      logKey: `${prefix}:log`,
      summaryKey: `${prefix}:summary`,
      summaryIntervalMs: 50,
    });
    const prompts: string[] = [];
    await using model = startScriptedModelServer({
      script: (req) => {
        const messages = req.body?.messages as { role: string; content: string }[];
        if (messages.at(-1)!.role === "tool") return { content: "ok" };
        prompts.push(messages.at(-1)!.content);
        return prompts.length === 1
          ? { toolCalls: [{ name: "send_to_vtuber", arguments: { text: "Who here likes cats?" } }] }
          : { content: "Listening." };
      },
    });
    const db = await testPglite();
    const { logger } = memoryLogger();
    try {
      const f = await loopFixture({
        modelUrl: model.url,
        speechUrl: emu.speechUrl,
        scb: new RestScbClient({ baseUrl: emu.url }),
        sql: db.sql,
        log: logger,
      });
      const first = await f.loop.runOnce();
      assert.ok(first.toolCalls[0]?.ok, JSON.stringify(first));
      const logged = (await emu.log()).find((e) => e.text === "Who here likes cats?");
      assert.deepEqual([logged?.type, logged?.actor], ["event", "user"], "the Player's echo");
      await emu.chat("I do, my cat is called Miso");
      await new Promise((r) => setTimeout(r, 200)); // the summarizer picks both up
      assert.match(await emu.summary(), /User: Who here likes cats\?/);
      const second = await f.loop.runOnce();
      const prompt = prompts[1]!;
      const chat = prompt.slice(prompt.indexOf("## Recent viewer chat"));
      assert.ok(chat.includes("my cat is called Miso"), "a viewer's line is shown");
      assert.ok(!prompt.includes('[viewer] "Who here likes cats?"'), "its own line is not chat");
      assert.ok(!prompt.includes("User: Who here likes cats?"), "nor a viewer line of the summary");
      assert.ok(!prompt.includes('[scb:event/user] "Who here likes cats?"'));
      assert.deepEqual(second.taint.filter((t) => t !== "scb summary"), ["viewer chat"]);
    } finally {
      await db.cleanup();
      const { Redis } = await import("ioredis");
      const r = new Redis(redis!);
      await r.del(`${prefix}:log`, `${prefix}:summary`);
      await r.quit();
    }
  },
});
