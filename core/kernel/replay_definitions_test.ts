/**
 * A kernel restart replays definitions only: a cell's side effects beside its definitions (a
 * write, a class static block) do not run again, and a name a cell plants in its checkpoint index
 * is never pasted into code. Plus the statement rules on their own.
 */
import assert from "node:assert/strict";
import { parse } from "acorn";
import type { Node } from "acorn";
import { testKernel } from "./_testing.ts";
import { isBindingName, isReplayable, replayableJs } from "./replay_definitions.ts";

Deno.test("a restarted kernel replays definitions, not the side effects of their cells", async () => {
  const t = await testKernel();
  try {
    const cells = [
      `function f() { return 7 }\nDeno.writeTextFileSync("effects.txt", "x\\n", { append: true });`,
      `const g = () => 8; Deno.writeTextFileSync("effects.txt", "z\\n", { append: true });`,
      `class S { static { Deno.writeTextFileSync("static.txt", "y\\n", { append: true }); } }`,
      `let rows = [1, 2];`,
      `const ix = JSON.parse(Deno.readTextFileSync(".kernel/checkpoint/index.json"));\n` +
      `ix.evil = { ...ix.rows, name: "x = 1; globalThis.pwned = 1; let y" };\n` +
      `Deno.writeTextFileSync(".kernel/checkpoint/index.json", JSON.stringify(ix));`,
      "0",
    ];
    for (const c of cells) assert.equal((await t.kernel.execute(c)).ok, true, c);
    Deno.kill(t.kernel.pid!, "SIGKILL");
    while (t.kernel.running) await new Promise((r) => setTimeout(r, 5));
    const r = await t.kernel.execute("[f(), g(), typeof S, rows.length, typeof globalThis.pwned]");
    assert.ok(r.restart, "the kernel restarted");
    assert.deepEqual(r.value, [7, 8, "undefined", 2, "undefined"]);
    assert.ok(r.restart.lost.includes("S"), "a class whose definition runs code is not replayed");
    assert.equal(await Deno.readTextFile(`${t.workspaceDir}/effects.txt`), "x\nz\n");
    assert.equal(await Deno.readTextFile(`${t.workspaceDir}/static.txt`), "y\n");
    assert.ok(t.records.some((l) => l.event === "kernel_restore_refused"));
  } finally {
    await t.close();
  }
});

const body = (js: string) =>
  (parse(js, { ecmaVersion: "latest", sourceType: "module", allowAwaitOutsideFunction: true }) as
    & Node
    & { body: Node[] }).body;

Deno.test("what counts as a replayable definition", () => {
  const yes = [
    "function f() { fetch('x'); }",
    "const f = () => 1, g = function () {};",
    "const { a } = await import('zod');",
    "const ns = await import('zod'), { z } = ns;",
    "import { z } from 'zod';",
    "class A extends B.C { x = fetch(); static n = 1; m() { return 1; } }",
  ];
  const no = [
    "fetch('x');",
    "const data = await tools.fetch_url({});",
    "let total = 0;",
    "import 'side-effect';",
    "const m = await import(name);",
    "class A { static { go(); } }",
    "class A { static x = go(); }",
    "class A { [go()]() {} }",
    "class A extends mixin(B) {}",
    "const f = (() => { go(); return () => 1; })();",
  ];
  for (const js of yes) assert.equal(body(js).every(isReplayable), true, js);
  for (const js of no) assert.equal(body(js).some(isReplayable), false, js);
  assert.equal(
    replayableJs("function f() {}\ngo();\nconst g = () => 1;"),
    "function f() {}\nconst g = () => 1;",
  );
  assert.equal(replayableJs("this is not js"), "");
});

Deno.test("only identifiers that are not reserved words are binding names", () => {
  for (const ok of ["rows", "_x", "$y", "a1"]) assert.equal(isBindingName(ok), true, ok);
  for (const bad of ["x = 1; evil()", "let", "1a", "a-b", "", "await", 3, undefined]) {
    assert.equal(isBindingName(bad), false, String(bad));
  }
});
