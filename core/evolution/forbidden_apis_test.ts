/** Tests of the forbidden-API scan: each class of API is found with its line; safe code is not. */
import assert from "node:assert/strict";
import { importAllowed, scanForbiddenApis } from "./forbidden_apis.ts";

const rules = (src: string) => scanForbiddenApis(src).map((f) => `${f.rule}@${f.line}`);

Deno.test("forbidden scan passes plain typed code", () => {
  const src =
    `import { z } from "zod";\n/** Doubles. */\nexport function twice(n: number): number {\n  return n * 2;\n}\n`;
  assert.deepEqual(scanForbiddenApis(src), []);
});

Deno.test("forbidden scan finds subprocess, env, network, kv and ffi with their lines", () => {
  const src = [
    "const a: string = 'x';",
    "new Deno.Command('ls');",
    "const e = Deno.env.get('HOME');",
    "await fetch('http://x');",
    "const k = await Deno.openKv();",
    "Deno.dlopen('lib.so', {});",
    "const ws = new WebSocket('ws://x');",
    "Deno.connect({ port: 1 });",
  ].join("\n");
  assert.deepEqual(rules(src), [
    "subprocess@2",
    "env@3",
    "network@4",
    "kv@5",
    "ffi@6",
    "network@7",
    "network@8",
  ]);
});

Deno.test("forbidden scan ignores API names inside comments and strings", () => {
  const src = `// Deno.env.get("X") and fetch()\nconst s = "Deno.Command eval(1)";\n`;
  assert.deepEqual(scanForbiddenApis(src), []);
});

Deno.test("forbidden scan flags eval, new Function and computed Deno access as high", () => {
  const found = scanForbiddenApis(
    `eval("1");\nnew Function("return 1");\nconst k = "env";\n(Deno as any)[k];\nglobalThis.Deno.env;`,
  );
  assert.deepEqual(found.map((f) => [f.rule, f.severity, f.line]), [
    ["eval", "high", 1],
    ["eval", "high", 2],
    ["indirect", "high", 4],
    ["env", "high", 5],
  ]);
});

Deno.test("forbidden scan flags unlisted and computed imports but allows the allow list", () => {
  const src = [
    `import { spawn } from "node:child_process";`,
    `import { z } from "zod";`,
    `import { helper } from "./helper.ts";`,
    `const m = await import("npm:left-pad");`,
    `const name = "x";`,
    `const n = await import(name);`,
    `export * from "https://example.com/mod.ts";`,
  ].join("\n");
  assert.deepEqual(rules(src), ["import@1", "import@4", "import@6", "import@7"]);
});

Deno.test("forbidden scan flags process.env and file writes with a suggested fix", () => {
  const found = scanForbiddenApis(
    `const p = process.env.HOME;\nawait Deno.writeTextFile("/etc/x", "y");`,
  );
  assert.equal(found[0]?.rule, "process");
  assert.equal(found[1]?.rule, "fs-write");
  assert.equal(found[1]?.severity, "medium");
  assert.ok(found.every((f) => f.fix.length > 10));
});

Deno.test("forbidden scan reports a syntax error as a high finding with its line", () => {
  const [f] = scanForbiddenApis("const a = 1;\nconst = ;\n");
  assert.equal(f?.rule, "syntax");
  assert.equal(f?.severity, "high");
  assert.equal(f?.line, 2);
});

Deno.test("relative imports may not climb above learned_skills", () => {
  assert.equal(importAllowed("./x.ts"), true);
  assert.equal(importAllowed("../functions/x.ts"), true);
  assert.equal(importAllowed("../../core/config.ts"), false);
  assert.equal(importAllowed("../functions/../../x.ts"), false);
  assert.equal(importAllowed("node:fs"), false);
});

Deno.test("forbidden scan flags a write to an absolute or parent path as high", () => {
  const found = scanForbiddenApis(
    `await Deno.writeTextFile("out.txt", "ok");\nawait Deno.writeTextFile("../x.txt", "no");\nDeno.removeSync("/etc/hosts");`,
  );
  assert.deepEqual(found.map((f) => [f.rule, f.severity, f.line]), [
    ["fs-write", "medium", 1],
    ["fs-write", "medium", 2],
    ["fs-write-outside", "high", 2],
    ["fs-write", "medium", 3],
    ["fs-write-outside", "high", 3],
  ]);
});
