/** Tests of the generate -> check -> test -> review -> refine loop against a scripted model. */
import assert from "node:assert/strict";
import { generateFunction, type GenerateFunctionOptions } from "./generate_function.ts";
import { readSkill } from "./skill_file.ts";
import { BAD_SLUG, evolutionModel, GOOD_SLUG, roleOf, SLUG_TESTS } from "./_fixtures.ts";
import type { ApprovalRequest } from "./approval.ts";
import { formatApprovalRequest } from "./repl_text.ts";
import { startCanary } from "../testing/canary.ts";
import type { OpenAIModelClient } from "../model/mod.ts";

async function sandbox(): Promise<{ root: string; learned: string; ws: string }> {
  const root = await Deno.makeTempDir({ prefix: "evo_gen_" });
  await Deno.mkdir(`${root}/workspace`);
  return { root, learned: `${root}/learned_skills`, ws: `${root}/workspace` };
}

function options(
  client: OpenAIModelClient,
  d: { root: string; learned: string; ws: string },
  extra: Partial<GenerateFunctionOptions> = {},
): GenerateFunctionOptions {
  return {
    model: client,
    paths: { learnedDir: d.learned, stateDir: `${d.root}/state` },
    approval: "review",
    maxRefinements: 2,
    session: "s-test",
    ...extra,
  };
}

const EXAMPLES = [{ input: 'slugify("Hello World")', output: '"hello-world"' }];

Deno.test("a bad first draft is refined with its findings, then reviewed and written", async () => {
  const { server, client } = evolutionModel({ code: [BAD_SLUG, GOOD_SLUG] });
  const d = await sandbox();
  try {
    const r = await generateFunction("slugify", "Make a URL slug", EXAMPLES, options(client, d));
    assert.equal(r.status, "approved", r.reason);
    assert.equal(r.rounds.length, 2);
    assert.equal(r.rounds[0]?.passed, false);
    assert.ok(r.rounds[0]?.findings.some((f) => f.rule === "TS7006"));
    assert.equal(r.rounds[1]?.tests?.passed, 2);
    const second = server.chatRequests().filter((q) => roleOf(q) === "code")[1];
    const prompt = JSON.stringify(second?.body);
    assert.match(prompt, /previous version/);
    assert.match(prompt, /TS7006/);
    assert.equal(server.chatRequests().filter((q) => roleOf(q) === "review").length, 1);
    const skill = await readSkill(`${d.learned}/functions/slugify.ts`);
    assert.equal(skill.body, GOOD_SLUG);
    assert.equal(skill.meta.version, 1);
    assert.equal(skill.meta.session, "s-test");
    assert.equal(skill.intact, true);
    assert.equal(r.testFile, `${d.learned}/tests/slugify_test.ts`);
    assert.equal(r.usage.requests, 4); // code twice, tests once, review once
  } finally {
    await server.close();
    await Deno.remove(d.root, { recursive: true });
  }
});

Deno.test("a high review finding blocks loading and goes back to the generator", async () => {
  const high =
    '```json\n[{"severity":"high","line":7,"message":"drops digits","fix":"keep 0-9"}]\n```';
  const { server, client } = evolutionModel({
    code: [GOOD_SLUG],
    review: [high, "```json\n[]\n```"],
  });
  const d = await sandbox();
  try {
    const r = await generateFunction("slugify", "Make a URL slug", EXAMPLES, options(client, d));
    assert.equal(r.status, "approved");
    assert.equal(r.rounds.length, 2);
    assert.deepEqual(r.rounds[0]?.findings.map((f) => [f.source, f.severity, f.line]), [[
      "review",
      "high",
      7,
    ]]);
    const second = server.chatRequests().filter((q) => roleOf(q) === "code")[1];
    assert.match(JSON.stringify(second?.body), /drops digits/);
  } finally {
    await server.close();
    await Deno.remove(d.root, { recursive: true });
  }
});

Deno.test("code that never passes is rejected after the last round with what is still wrong", async () => {
  const { server, client } = evolutionModel({ code: [BAD_SLUG] });
  const d = await sandbox();
  try {
    const r = await generateFunction(
      "slugify",
      "Make a URL slug",
      EXAMPLES,
      options(client, d, { maxRefinements: 1 }),
    );
    assert.equal(r.status, "rejected");
    assert.equal(r.rounds.length, 2);
    assert.match(r.reason, /after 2 round/);
    assert.ok(r.remaining.length > 0 && r.remaining.every((f) => f.severity === "high"));
    await assert.rejects(() => Deno.stat(`${d.learned}/functions/slugify.ts`));
  } finally {
    await server.close();
    await Deno.remove(d.root, { recursive: true });
  }
});

Deno.test("manual approval without a person leaves the code pending and unloaded", async () => {
  const { server, client } = evolutionModel({ code: [GOOD_SLUG] });
  const d = await sandbox();
  try {
    const r = await generateFunction(
      "slugify",
      "Make a URL slug",
      EXAMPLES,
      options(client, d, { approval: "manual" }),
    );
    assert.equal(r.status, "pending");
    assert.equal(r.path, `${d.root}/state/pending/functions/slugify/slugify.ts`);
    assert.equal(await Deno.readTextFile(r.path!), GOOD_SLUG);
    assert.ok(await Deno.stat(`${d.root}/state/pending/functions/slugify/slugify_test.ts`));
    await assert.rejects(
      () => Deno.stat(d.learned),
      "nothing pending is under learned_skills/ (no function, no test)",
    );
  } finally {
    await server.close();
    await Deno.remove(d.root, { recursive: true });
  }
});

Deno.test("the person approving sees the model-written test beside the code", async () => {
  const { server, client } = evolutionModel({ code: [GOOD_SLUG] });
  const d = await sandbox();
  const asked: ApprovalRequest[] = [];
  try {
    const r = await generateFunction("slugify", "Make a URL slug", EXAMPLES, {
      ...options(client, d, { approval: "manual" }),
      approver: (req) => (asked.push(req), Promise.resolve(false)),
    });
    assert.equal(r.status, "rejected");
    assert.equal(asked[0]?.kind, "function");
    assert.equal(asked[0]?.tests, SLUG_TESTS);
    assert.match(
      formatApprovalRequest(asked[0]!),
      /Its test \(ran in the sandbox\):\n\s+1 \| import/,
    );
    await assert.rejects(() => Deno.stat(`${d.root}/state/pending/functions/slugify`));
    await assert.rejects(() => Deno.stat(d.learned), "a declined function leaves nothing behind");
  } finally {
    await server.close();
    await Deno.remove(d.root, { recursive: true });
  }
});

Deno.test("a model-written test that uses a forbidden API fails the round before it runs", async () => {
  await using canary = await startCanary();
  const leaky = SLUG_TESTS +
    `Deno.test("phones home", async () => { await fetch(${JSON.stringify(canary.url)}); });\n`;
  const { server, client } = evolutionModel({ code: [GOOD_SLUG], tests: [leaky] });
  const d = await sandbox();
  try {
    const r = await generateFunction(
      "slugify",
      "Make a URL slug",
      EXAMPLES,
      options(client, d, { maxRefinements: 0 }),
    );
    assert.equal(r.status, "rejected");
    assert.equal(r.rounds[0]?.tests, undefined, "the test never ran");
    assert.ok(
      r.remaining.some((f) => f.source === "forbidden" && /in the test: fetch/.test(f.message)),
      JSON.stringify(r.remaining),
    );
    assert.deepEqual(canary.hits, []);
  } finally {
    await server.close();
    await Deno.remove(d.root, { recursive: true });
  }
});

Deno.test("auto approval skips the reviewer; regenerating archives the previous version", async () => {
  const { server, client } = evolutionModel({ code: [GOOD_SLUG] });
  const d = await sandbox();
  try {
    const o = options(client, d, { approval: "auto" });
    await generateFunction("slugify", "Make a URL slug", EXAMPLES, o);
    const r2 = await generateFunction("slugify", "Make a URL slug", EXAMPLES, o);
    assert.equal(r2.version, 2);
    assert.equal(server.chatRequests().filter((q) => roleOf(q) === "review").length, 0);
    assert.equal(
      (await readSkill(`${d.learned}/functions/.versions/slugify.v1.ts`)).meta.version,
      1,
    );
  } finally {
    await server.close();
    await Deno.remove(d.root, { recursive: true });
  }
});
