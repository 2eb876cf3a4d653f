/** Tests of saving and loading sessions with the real kernel: data, definitions, learned code. */
import assert from "node:assert/strict";
import { Kernel } from "../kernel/mod.ts";
import { memoryLogger } from "../log.ts";
import { writeVersioned } from "../evolution/skill_file.ts";
import { listSessions, loadSessionState, saveSessionState } from "./session_state.ts";

const SLUG =
  '/** Slug. */\nexport function slugify(t: string): string {\n  return t.toLowerCase().split(" ").join("-");\n}\n';

async function world() {
  const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "sessions_test_" }));
  const learnedDir = `${root}/learned_skills`;
  await writeVersioned(`${learnedDir}/functions`, "slugify", SLUG, { model: "m", session: "s1" });
  await Deno.mkdir(`${learnedDir}/agents/csv`, { recursive: true });
  await Deno.writeTextFile(
    `${learnedDir}/agents/csv/agent.json`,
    JSON.stringify({ name: "csv", description: "d" }),
  );
  const start = async (ws: string) =>
    await Kernel.start({
      sessionId: ws,
      workspaceDir: `${root}/${ws}`,
      learnedSkillsDir: learnedDir,
      log: memoryLogger().logger,
    });
  return {
    root,
    learnedDir,
    start,
    paths: (ws: string) => ({
      sessionsDir: `${root}/sessions`,
      learnedDir,
      workspaceDir: `${root}/${ws}`,
    }),
  };
}

Deno.test("a loaded session has its data, definitions, learned functions and conversation back", async () => {
  const w = await world();
  const k1 = await w.start("ws1");
  let k2: Kernel | undefined;
  try {
    for (
      const code of [
        `let rows = [{ id: 1, tags: new Set(["a"]) }, { id: 2, tags: new Set(["b", "c"]) }];`,
        `const index = new Map(rows.map((r) => [r.id, r]));`,
        `function tagCount(id: number): number { return index.get(id)?.tags.size ?? 0; }\nawait Promise.resolve(1);`,
        `rows.push({ id: 3, tags: new Set() }); rows.length`,
      ]
    ) {
      const r = await k1.execute(code);
      assert.equal(r.ok, true, JSON.stringify(r.error));
    }
    const saved = await saveSessionState("demo", k1, {
      conversation: [{ role: "user", content: "count tags" }],
      history: [{ kind: "cell", code: "rows.length", ok: true, ms: 3 }],
    }, w.paths("ws1"));
    assert.equal(saved.variables, 2);
    assert.deepEqual(await listSessions(`${w.root}/sessions`), ["demo"]);

    k2 = await w.start("ws2");
    const report = await loadSessionState("demo", k2, w.paths("ws2"));
    assert.deepEqual(report.lost, []);
    assert.deepEqual(report.functions, ["slugify"]);
    assert.deepEqual(report.learned.ok.map((r) => r.path), [
      "functions/slugify.ts",
      "agents/csv/agent.json",
    ], "every learned capability is back");
    assert.deepEqual(report.restored.sort(), ["index", "rows"]);
    assert.deepEqual(report.conversation, [{ role: "user", content: "count tags" }]);
    assert.equal(report.history.length, 1);
    const check = await k2.execute(
      `[rows.length, tagCount(2), index.get(2) === rows[1], slugify("A B")]`,
    );
    assert.equal(check.ok, true, JSON.stringify(check.error));
    assert.deepEqual(check.value, [3, 2, false, "a-b"]);
  } finally {
    await k1.close();
    await k2?.close();
    await Deno.remove(w.root, { recursive: true });
  }
});

Deno.test("loading reports a learned file that was edited by hand or deleted", async () => {
  const w = await world();
  await writeVersioned(`${w.learnedDir}/functions`, "gone", SLUG.replace("slugify", "gone"), {
    model: "m",
    session: "s",
  });
  const k1 = await w.start("ws1");
  let k2: Kernel | undefined;
  try {
    await saveSessionState("demo", k1, { conversation: [], history: [] }, w.paths("ws1"));
    const file = `${w.learnedDir}/functions/slugify.ts`;
    await Deno.writeTextFile(file, (await Deno.readTextFile(file)).replace("split", "split "));
    await Deno.remove(`${w.learnedDir}/functions/gone.ts`);
    k2 = await w.start("ws2");
    const report = await loadSessionState("demo", k2, w.paths("ws2"));
    assert.deepEqual(report.learned.changed.map((r) => r.path), ["functions/slugify.ts"]);
    assert.deepEqual(report.learned.missing.map((r) => r.path), ["functions/gone.ts"]);
    assert.deepEqual(report.lost.map((l) => l.what).sort(), [
      "functions/gone.ts",
      "functions/slugify.ts",
    ]);
    assert.deepEqual(report.functions, []);
  } finally {
    await k1.close();
    await k2?.close();
    await Deno.remove(w.root, { recursive: true });
  }
});

Deno.test("session names that could escape the sessions folder are refused", async () => {
  const fake = {
    history: [],
    execute: () => Promise.reject(new Error("no")),
    listVariables: () => Promise.resolve([]),
  };
  await assert.rejects(
    () =>
      saveSessionState("../x", fake, { conversation: [], history: [] }, {
        sessionsDir: "/tmp",
        learnedDir: "/tmp",
        workspaceDir: "/tmp",
      }),
    /Invalid session name "\.\.\/x"/,
  );
  await assert.rejects(
    () =>
      loadSessionState("nope", fake, {
        sessionsDir: "/nonexistent",
        learnedDir: "/tmp",
        workspaceDir: "/tmp",
      }),
    /Cannot load session/,
  );
});
