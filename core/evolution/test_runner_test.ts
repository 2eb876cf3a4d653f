/** Tests of the generated-test runner: per-test results, coverage, the sandbox and the timeout. */
import assert from "node:assert/strict";
import { parseLcov, runGeneratedTests } from "./test_runner.ts";

async function skillsDir(testBody: string): Promise<{ root: string; test: string; ws: string }> {
  const root = await Deno.makeTempDir({ prefix: "evo_runner_" });
  await Deno.mkdir(`${root}/learned_skills/functions`, { recursive: true });
  await Deno.mkdir(`${root}/learned_skills/tests`, { recursive: true });
  await Deno.mkdir(`${root}/workspace`);
  await Deno.writeTextFile(
    `${root}/learned_skills/functions/clamp.ts`,
    [
      "/** Clamps n into [lo, hi]. */",
      "export function clamp(n: number, lo: number, hi: number): number {",
      "  if (n < lo) return lo;",
      "  if (n > hi) return hi;",
      "  return n;",
      "}",
      "",
    ].join("\n"),
  );
  const test = `${root}/learned_skills/tests/clamp_test.ts`;
  await Deno.writeTextFile(
    test,
    `import assert from "node:assert/strict";\nimport { clamp } from "../functions/clamp.ts";\n${testBody}`,
  );
  return { root, test, ws: `${root}/workspace` };
}

const run = (d: { root: string; test: string; ws: string }, timeoutMs = 60_000) =>
  runGeneratedTests(d.test, { learnedSkillsDir: `${d.root}/learned_skills`, timeoutMs });

Deno.test("test runner reports pass and fail per test and the line coverage", async () => {
  const d = await skillsDir(
    `Deno.test("clamp keeps a value inside", () => assert.equal(clamp(5, 0, 10), 5));\n` +
      `Deno.test("clamp raises a low value", () => assert.equal(clamp(-1, 0, 10), 1));\n`,
  );
  try {
    const r = await run(d);
    assert.deepEqual(r.tests.map((t) => [t.name, t.passed]), [
      ["clamp keeps a value inside", true],
      ["clamp raises a low value", false],
    ]);
    assert.match(r.tests[1]?.failure ?? "", /0 !== 1|Expected/);
    assert.equal(r.ok, false);
    assert.equal(r.coverage.length, 1);
    assert.ok(r.coverage[0]?.file.endsWith("functions/clamp.ts"));
    assert.deepEqual(r.coverage[0]?.uncovered, [4], "the n > hi branch never ran");
    assert.ok(r.lineCoverage !== null && r.lineCoverage > 0.5 && r.lineCoverage < 1);
  } finally {
    await Deno.remove(d.root, { recursive: true });
  }
});

Deno.test("test runner sandbox denies env, network and writes outside the workspace", async () => {
  const d = await skillsDir(
    `Deno.test("reads env", () => { Deno.env.get("HOME"); });\n` +
      `Deno.test("writes outside", () => { Deno.writeTextFileSync("../outside.txt", "x"); });\n` +
      `Deno.test("writes inside", () => { Deno.writeTextFileSync("inside.txt", "x"); });\n` +
      `Deno.test("fetches", async () => { await fetch("http://127.0.0.1:8000/"); });\n`,
  );
  try {
    const r = await run(d);
    assert.deepEqual(r.tests.map((t) => [t.name, t.passed]), [
      ["reads env", false],
      ["writes outside", false],
      ["writes inside", true],
      ["fetches", false],
    ]);
    assert.match(r.tests[0]?.failure ?? "", /NotCapable|Requires env access/);
    assert.match(r.tests[3]?.failure ?? "", /NotCapable|Requires net access/);
    await assert.rejects(() => Deno.stat(`${d.root}/outside.txt`));
  } finally {
    await Deno.remove(d.root, { recursive: true });
  }
});

Deno.test("test runner kills a hanging test file and says it timed out", async () => {
  const d = await skillsDir(`Deno.test("spins", () => { while (true) clamp(1, 0, 2); });\n`);
  try {
    const r = await run(d, 3_000);
    assert.equal(r.timedOut, true);
    assert.equal(r.ok, false);
    assert.equal(r.error, "timed out");
  } finally {
    await Deno.remove(d.root, { recursive: true });
  }
});

Deno.test("test runner reports an import error instead of an empty pass", async () => {
  const d = await skillsDir(
    `import { nope } from "../functions/missing.ts";\nDeno.test("x", () => nope());\n`,
  );
  try {
    const r = await run(d);
    assert.equal(r.ok, false);
    assert.equal(r.tests.length, 0);
    assert.match(r.error ?? "", /missing\.ts/);
  } finally {
    await Deno.remove(d.root, { recursive: true });
  }
});

Deno.test("lcov parsing lists uncovered lines per file", () => {
  const cov = parseLcov("SF:/a.ts\nDA:1,1\nDA:2,0\nDA:3,4\nend_of_record\n");
  assert.deepEqual(cov, [{ file: "/a.ts", linesFound: 3, linesHit: 2, uncovered: [2] }]);
});
