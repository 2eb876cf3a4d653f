/** Tests of `cli skills`: list, check, approve and bad input. */
import assert from "node:assert/strict";
import { skillsCommand } from "./skills_command.ts";
import { UsageError } from "./command.ts";
import { writeVersioned } from "../evolution/skill_file.ts";

const GOOD = "/** Doubles. */\nexport function twice(n: number): number {\n  return n * 2;\n}\n";

async function capture(fn: () => Promise<number>): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const orig = console.log;
  console.log = (...a: unknown[]) => lines.push(a.join(" "));
  try {
    return { code: await fn(), out: lines.join("\n") };
  } finally {
    console.log = orig;
  }
}

Deno.test("skills list shows learned functions with version and hash state", async () => {
  const dir = await Deno.makeTempDir({ prefix: "skills_cli_" });
  try {
    await writeVersioned(`${dir}/functions`, "twice", GOOD, { model: "m", session: "s" });
    await writeVersioned(`${dir}/functions`, "twice", GOOD, { model: "m", session: "s" });
    const r = await capture(() =>
      skillsCommand.run(["list", "--json", "--learned", dir, "--data", `${dir}/data`])
    );
    const rows = JSON.parse(r.out);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].name, "twice");
    assert.equal(rows[0].version, 2);
    assert.equal(rows[0].intact, true);
    assert.deepEqual(rows[0].archived, [1]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("skills approve promotes a pending function with a header; unknown names are usage errors", async () => {
  const dir = await Deno.makeTempDir({ prefix: "skills_cli_" });
  const args = ["--learned", `${dir}/learned`, "--data", `${dir}/data`];
  try {
    const pending = `${dir}/data/evolution/pending/functions/twice`;
    await Deno.mkdir(pending, { recursive: true });
    await Deno.writeTextFile(`${pending}/twice.ts`, GOOD);
    await Deno.writeTextFile(`${pending}/twice_test.ts`, "// tests\n");
    await Deno.writeTextFile(`${pending}/report.json`, JSON.stringify({ session: "s9" }));
    const listed = await capture(() => skillsCommand.run(["list", "--json", ...args]));
    assert.deepEqual(JSON.parse(listed.out), [{ kind: "pending", name: "twice" }]);
    const r = await capture(() => skillsCommand.run(["approve", "twice", ...args]));
    assert.equal(r.code, 0);
    assert.match(await Deno.readTextFile(`${dir}/learned/functions/twice.ts`), /@session s9/);
    assert.equal(await Deno.readTextFile(`${dir}/learned/tests/twice_test.ts`), "// tests\n");
    await assert.rejects(() => Deno.stat(pending));
    await assert.rejects(() => skillsCommand.run(["approve", "nope", ...args]), UsageError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("skills approve re-runs a pending test in the sandbox and keeps it only if it passes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "skills_cli_" });
  const args = ["--learned", `${dir}/learned`, "--data", `${dir}/data`];
  try {
    await writeVersioned(`${dir}/learned/functions`, "twice", GOOD, { model: "m", session: "s" });
    const pending = `${dir}/data/evolution/pending/tests/twice_test`;
    await Deno.mkdir(pending, { recursive: true });
    const test = (expected: number) =>
      'import assert from "node:assert/strict";\nimport { twice } from "../functions/twice.ts";\n' +
      `Deno.test("doubles", () => assert.equal(twice(2), ${expected}));\n`;
    await Deno.writeTextFile(`${pending}/twice_test.ts`, test(5));
    const errors: string[] = [];
    const orig = console.error;
    console.error = (...a: unknown[]) => errors.push(a.join(" "));
    try {
      assert.equal(await skillsCommand.run(["approve", "twice_test", ...args]), 1);
    } finally {
      console.error = orig;
    }
    assert.match(errors.join("\n"), /its tests fail in the sandbox/);
    await assert.rejects(() => Deno.stat(`${dir}/learned/tests/twice_test.ts`));
    await Deno.writeTextFile(`${pending}/twice_test.ts`, test(4));
    const r = await capture(() => skillsCommand.run(["approve", "twice_test", ...args]));
    assert.equal(r.code, 0);
    assert.equal(await Deno.readTextFile(`${dir}/learned/tests/twice_test.ts`), test(4));
    await assert.rejects(() => Deno.stat(pending));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("skills approve adds a pending sub-agent; list flags an old code-format one", async () => {
  const dir = await Deno.makeTempDir({ prefix: "skills_cli_" });
  const args = ["--learned", `${dir}/learned`, "--data", `${dir}/data`];
  try {
    const pending = `${dir}/data/evolution/pending/agents/shouter`;
    await Deno.mkdir(pending, { recursive: true });
    await Deno.writeTextFile(
      `${pending}/agent.json`,
      JSON.stringify({ name: "shouter", description: "Upper-cases" }),
    );
    await Deno.writeTextFile(`${pending}/prompt.md`, "Shout.\n");
    await Deno.mkdir(`${dir}/learned/agents/old`, { recursive: true });
    await Deno.writeTextFile(`${dir}/learned/agents/old/config.ts`, "export default {};\n");
    const r = await capture(() => skillsCommand.run(["approve", "shouter", ...args]));
    assert.equal(r.code, 0);
    assert.equal(await Deno.readTextFile(`${dir}/learned/agents/shouter/prompt.md`), "Shout.\n");
    await assert.rejects(() => Deno.stat(pending));
    const listed = JSON.parse(
      (await capture(() => skillsCommand.run(["list", "--json", ...args]))).out,
    );
    assert.deepEqual(listed, [
      { kind: "agent", name: "old", error: "old code format: run `skills migrate-agents`" },
      { kind: "agent", name: "shouter" },
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("skills check exits 1 with findings for a file using a forbidden API", async () => {
  const dir = await Deno.makeTempDir({ prefix: "skills_cli_" });
  try {
    await Deno.writeTextFile(
      `${dir}/bad.ts`,
      '/** Env. */\nexport function e(): string {\n  return Deno.env.get("X") ?? "";\n}\n',
    );
    const r = await capture(() => skillsCommand.run(["check", `${dir}/bad.ts`]));
    assert.equal(r.code, 1);
    assert.match(r.out, /line 3 forbidden\/env/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("skills rejects a missing or unknown action", async () => {
  await assert.rejects(() => skillsCommand.run([]), /missing skills action/);
  await assert.rejects(
    () => skillsCommand.run(["frobnicate"]),
    /unknown skills action "frobnicate"/,
  );
  await assert.rejects(() => skillsCommand.run(["check"]), /skills check needs a file/);
});
