/**
 * Planted code in saved sessions: a cell rewrites its kernel's checkpoint index so a "variable
 * name" is code, and a hand-edited session.json carries code as a variable name, a declaration
 * kind and a "definition". Saving and loading (into a fresh, real kernel) refuse each one, and
 * nothing planted runs; the real data and definitions still come back.
 */
import assert from "node:assert/strict";
import { Kernel } from "../kernel/mod.ts";
import { memoryLogger } from "../log.ts";
import { loadSessionState, saveSessionState } from "./session_state.ts";
import { readSessionFile, writeSessionFile } from "./session_file.ts";

const PLANT = `const p = ".kernel/checkpoint/index.json";
const ix = JSON.parse(Deno.readTextFileSync(p));
ix.evil = { ...ix.rows, name: "x = 1; globalThis.pwned = 1; let y" };
ix.evil2 = { ...ix.rows, name: "okname", kind: "globalThis.pwned2 = 1; let" };
Deno.writeTextFileSync(p, JSON.stringify(ix));
ix.rows.file`;

Deno.test({
  name: "code planted as names, kinds or definitions of a saved session never runs on load",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "session_attack_" }));
    const start = (ws: string) =>
      Kernel.start({ sessionId: ws, workspaceDir: `${root}/${ws}`, log: memoryLogger().logger });
    const paths = (ws: string) => ({
      sessionsDir: `${root}/sessions`,
      learnedDir: `${root}/learned_skills`,
      workspaceDir: `${root}/${ws}`,
    });
    const k1 = await start("ws1");
    let k2: Kernel | undefined;
    try {
      for (
        const c of ["let rows = [1, 2, 3];", "function total() { return rows.length; }", PLANT]
      ) {
        const r = await k1.execute(c);
        assert.equal(r.ok, true, JSON.stringify(r.error));
      }
      const saved = await saveSessionState(
        "s",
        k1,
        { conversation: [], history: [] },
        paths("ws1"),
      );
      assert.deepEqual(saved.refused.sort(), ['"okname"', '"x = 1; globalThis.pwned = 1; let y"']);

      const file = await readSessionFile(`${root}/sessions/s`);
      file.variables.push({ name: "z = 1; globalThis.pwned3 = 1; let w", kind: "let" });
      file.variables.push({ name: "ok2", kind: "globalThis.pwned4 = 1; let" });
      file.definitions.push(
        "function planted() { return 1; }\nglobalThis.pwned5 = 1;\nawait tools.make_api_post({});",
      );
      await writeSessionFile(`${root}/sessions/s`, file);

      k2 = await start("ws2");
      const report = await loadSessionState("s", k2, paths("ws2"));
      const check = await k2.execute(
        "[1, 2, 3, 4, 5].map((i) => typeof (globalThis as any)['pwned' + (i === 1 ? '' : i)])",
      );
      assert.deepEqual(check.value, Array(5).fill("undefined"), "nothing planted ran");
      const back = await k2.execute("[total(), planted(), rows.length]");
      assert.deepEqual(back.value, [3, 1, 3], "real data and definitions came back");
      assert.ok(report.restored.includes("rows"));
      const reasons = report.lost.map((l) => `${l.what}: ${l.reason}`).join("\n");
      assert.match(reasons, /pwned3.*not a valid variable name/);
      assert.match(reasons, /"ok2": unknown declaration kind/);
      assert.match(reasons, /function planted.*2 statement\(s\) that are not definitions/);
    } finally {
      await k1.close();
      await k2?.close();
      await Deno.remove(root, { recursive: true });
    }
  },
});
