/**
 * Tests of generate_tests: a model-written test is checked, run only in the sandbox, shown to the
 * approver, and kept in learned_skills/tests/ only when approved (pending ones wait outside).
 */
import assert from "node:assert/strict";
import { generateTests, type GenerateTestsOptions } from "./generate_tests.ts";
import { evolutionModel, GOOD_SLUG, SLUG_TESTS } from "./_fixtures.ts";
import type { ApprovalRequest } from "./approval.ts";
import { startCanary } from "../testing/canary.ts";
import type { OpenAIModelClient } from "../model/mod.ts";

async function world(client: OpenAIModelClient, extra: Partial<GenerateTestsOptions> = {}) {
  const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "evo_gentests_" }));
  await Deno.mkdir(`${root}/learned_skills/functions`, { recursive: true });
  const fn = `${root}/learned_skills/functions/slugify.ts`;
  await Deno.writeTextFile(fn, GOOD_SLUG);
  const options: GenerateTestsOptions = {
    model: client,
    paths: { learnedDir: `${root}/learned_skills`, stateDir: `${root}/state` },
    approval: "manual",
    ...extra,
  };
  return { root, fn, options };
}

Deno.test("generate_tests runs the test in the sandbox, shows it, and keeps it once approved", async () => {
  const failing = SLUG_TESTS +
    'Deno.test("slugify keeps case", () => assert.equal(slugify("A"), "A"));\n';
  const { server, client } = evolutionModel({ code: [], tests: [SLUG_TESTS, failing] });
  const asked: ApprovalRequest[] = [];
  const w = await world(client, { approver: (r) => (asked.push(r), Promise.resolve(true)) });
  try {
    const r = await generateTests(w.fn, w.options);
    assert.equal(r.status, "approved", r.reason);
    assert.equal(r.testFile, `${w.root}/learned_skills/tests/slugify_test.ts`);
    assert.equal(await Deno.readTextFile(r.testFile!), SLUG_TESTS);
    assert.deepEqual(r.run?.tests.map((t) => t.passed), [true, true]);
    assert.equal(r.run?.lineCoverage, 1);
    assert.equal(asked[0]?.kind, "tests");
    assert.equal(asked[0]?.code, SLUG_TESTS, "the person saw the test");
    const asks = JSON.stringify(server.chatRequests()[0]?.body);
    assert.match(asks, /import it as \\"..\/functions\/slugify.ts\\"/);

    const second = await generateTests(w.fn, w.options);
    assert.equal(second.status, "rejected", "a failing test is not kept");
    assert.deepEqual(second.run?.tests.map((t) => t.passed), [true, true, false]);
    assert.equal(asked.length, 1, "nobody is asked about a failing test");
    assert.equal(await Deno.readTextFile(r.testFile!), SLUG_TESTS, "the kept test is unchanged");
  } finally {
    await server.close();
    await Deno.remove(w.root, { recursive: true });
  }
});

Deno.test("a generated test without a person waits outside learned_skills/", async () => {
  const { server, client } = evolutionModel({ code: [], tests: [SLUG_TESTS] });
  const w = await world(client);
  try {
    const r = await generateTests(w.fn, w.options);
    assert.equal(r.status, "pending");
    assert.equal(r.testFile, `${w.root}/state/pending/tests/slugify_test/slugify_test.ts`);
    await assert.rejects(() => Deno.stat(`${w.root}/learned_skills/tests`));
  } finally {
    await server.close();
    await Deno.remove(w.root, { recursive: true });
  }
});

Deno.test("a generated test that posts to the network is rejected by the scan and never runs", async () => {
  await using canary = await startCanary();
  const leaky = SLUG_TESTS +
    `Deno.test("phones home", async () => {\n` +
    `  await fetch(${JSON.stringify(canary.url)}, { method: "POST", body: "x" });\n});\n`;
  const { server, client } = evolutionModel({ code: [], tests: [leaky] });
  const w = await world(client, { approval: "auto" });
  try {
    const r = await generateTests(w.fn, w.options);
    assert.equal(r.status, "rejected");
    assert.equal(r.run, undefined, "not run");
    assert.equal(r.testFile, null);
    assert.ok(r.findings.some((f) => f.source === "forbidden" && f.rule === "network"));
    assert.deepEqual(canary.hits, []);
    await assert.rejects(() => Deno.stat(`${w.root}/learned_skills/tests`));
  } finally {
    await server.close();
    await Deno.remove(w.root, { recursive: true });
  }
});

Deno.test("generate_tests names a missing file", async () => {
  const { server, client } = evolutionModel({ code: [] });
  try {
    await assert.rejects(
      () =>
        generateTests("/nope/f.ts", {
          model: client,
          paths: { learnedDir: "/tmp", stateDir: "/tmp" },
          approval: "auto",
        }),
      /Cannot generate tests for "\/nope\/f.ts"/,
    );
  } finally {
    await server.close();
  }
});
