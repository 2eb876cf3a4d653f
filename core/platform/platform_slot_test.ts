/**
 * The daemon in the platform's `autonomous_starter` slot with only the slot's variables (the old
 * agent's Livepeer model, the platform's URLs and database): it runs cycles. Hosts point at local
 * doubles (the Livepeer gateway, the NeuroSync emulator) and a scratch database; DATA_DIR is the
 * test's scratch directory.
 */
import assert from "node:assert/strict";
import { loadConfig } from "../config.ts";
import { startDaemon } from "../daemon.ts";
import { memoryLogger } from "../log.ts";
import { PgClient } from "../memory/pg_client.ts";
import { startLivepeerGateway } from "../testing/livepeer_gateway.ts";
import { serviceUrl } from "../testing/services.ts";
import { startNeuroSyncEmulator } from "./neurosync_emulator.ts";
import { SLOT_ENVIRONMENT } from "./platform_compose_fixture.ts";

const db = serviceUrl("DATABASE_URL");

Deno.test({
  name: "in the platform's slot, with only its variables, the daemon cycles on Livepeer",
  ignore: !db,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const name = `slot_${crypto.randomUUID().replaceAll("-", "").slice(0, 10)}`;
    const admin = new PgClient({ url: db!, max: 1 });
    await admin.exec(`CREATE DATABASE ${name}`);
    const dbUrl = new URL(db!);
    dbUrl.pathname = `/${name}`;
    const emu = startNeuroSyncEmulator();
    const gw = startLivepeerGateway((req) => {
      const messages = req.body!.messages as { role: string; content: string }[];
      return messages.at(-1)!.content.startsWith("Output:")
        ? { content: "Done for this cycle.", header: true }
        : {
          header: true,
          content: "Chat is quiet, let me wake them up.\n```ts\n" +
            "await send_to_vtuber({ text: 'Who is watching from far away?' })\n" +
            "await update_scb({ description: 'viewer map', mood: 'curious', intensity: 'subtle' })\n```",
        };
    });
    const dataDir = await Deno.makeTempDir({ prefix: "slot_test_" });
    const env = {
      ...SLOT_ENVIRONMENT,
      PORT: "0",
      LIVEPEER_GATEWAY_URL: gw.url,
      VTUBER_ENDPOINT_URL: emu.speechUrl,
      NEUROSYNC_URL: emu.url,
      DATABASE_URL: dbUrl.toString(),
      POSTGRES_URL: dbUrl.toString(),
      DATA_DIR: dataDir,
    };
    const { logger } = memoryLogger();
    const config = loadConfig({ env, file: "/dev/null" });
    config.paths.sessions = `${dataDir}/sessions`;
    const daemon = startDaemon(config, logger);
    try {
      const platform = await daemon.ready;
      assert.ok(platform?.loop, `the loop runs: ${platform?.waiting()}`);
      let cycles = platform.loop.cycles();
      for (let i = 0; i < 600 && !cycles.some((c) => c.toolCalls.length); i++) {
        await new Promise((r) => setTimeout(r, 100));
        cycles = platform.loop.cycles();
      }
      const first = cycles.find((c) => c.toolCalls.length)!;
      assert.equal(first.status, "ok", first.errors.join("; "));
      assert.deepEqual(first.toolCalls.map((c) => [c.tool, c.ok]), [
        ["send_to_vtuber", true],
        ["update_scb", true],
      ]);
      assert.equal(emu.spoken[0]?.text, "Who is watching from far away?");
      assert.match(
        (await emu.log()).find((e) => e.type === "directive")!.text,
        /Intensity: subtle/,
      );
      assert.ok(gw.requests.every((r) => r.path === "/llm" && r.body?.stream === false));
      assert.equal(await platform.writes.flush(10_000), 0);
      const status = platform.status() as { memory: { state: string } };
      assert.equal(status.memory.state, "ok");
    } finally {
      await daemon.shutdown("test");
      await emu.close();
      await gw.close();
      await admin.exec(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.close();
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
