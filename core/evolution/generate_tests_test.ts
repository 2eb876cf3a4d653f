/** Tests of generate_tests: tests are written beside the learned functions and run at once. */
import assert from "node:assert/strict";
import { generateTests, relativeImport } from "./generate_tests.ts";
import { evolutionModel, GOOD_SLUG, SLUG_TESTS } from "./_fixtures.ts";

Deno.test("generate_tests writes tests/<name>_test.ts, runs it and reports per-test results", async () => {
  const failing = SLUG_TESTS +
    'Deno.test("slugify keeps case", () => assert.equal(slugify("A"), "A"));\n';
  const { server, client } = evolutionModel({ code: [], tests: [failing] });
  const root = await Deno.makeTempDir({ prefix: "evo_gentests_" });
  try {
    await Deno.mkdir(`${root}/learned_skills/functions`, { recursive: true });
    await Deno.mkdir(`${root}/ws`);
    const fn = `${root}/learned_skills/functions/slugify.ts`;
    await Deno.writeTextFile(fn, GOOD_SLUG);
    const r = await generateTests(fn, {
      model: client,
      learnedDir: `${root}/learned_skills`,
      workspaceDir: `${root}/ws`,
    });
    assert.equal(r.testFile, `${root}/learned_skills/tests/slugify_test.ts`);
    assert.equal(await Deno.readTextFile(r.testFile), failing);
    assert.deepEqual(r.run.tests.map((t) => t.passed), [true, true, false]);
    assert.equal(r.run.lineCoverage, 1);
    const asked = JSON.stringify(server.chatRequests()[0]?.body);
    assert.match(asked, /import it as \\"..\/functions\/slugify.ts\\"/);
  } finally {
    await server.close();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("generate_tests names a missing file", async () => {
  const { server, client } = evolutionModel({ code: [] });
  try {
    await assert.rejects(
      () =>
        generateTests("/nope/f.ts", { model: client, learnedDir: "/tmp", workspaceDir: "/tmp" }),
      /Cannot generate tests for "\/nope\/f.ts"/,
    );
  } finally {
    await server.close();
  }
});

Deno.test("relative imports between learned files", () => {
  assert.equal(relativeImport("/l/tests/a_test.ts", "/l/functions/a.ts"), "../functions/a.ts");
  assert.equal(relativeImport("/l/functions/b.ts", "/l/functions/a.ts"), "./a.ts");
});
