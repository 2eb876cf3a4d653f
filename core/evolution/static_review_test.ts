/** Tests of the static review on real files: deno check, lint and doc findings with lines. */
import assert from "node:assert/strict";
import { staticReview } from "./static_review.ts";

async function withFile(source: string, fn: (file: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "evo_static_" });
  try {
    const file = `${dir}/skill.ts`;
    await Deno.writeTextFile(file, source);
    await fn(file);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("static review passes a documented, typed, clean function", async () => {
  await withFile(
    `/** Sums the numbers. */\nexport function total(xs: number[]): number {\n  return xs.reduce((a, b) => a + b, 0);\n}\n`,
    async (file) => {
      const report = await staticReview(file);
      assert.deepEqual(report.findings, []);
      assert.equal(report.passed, true);
    },
  );
});

Deno.test("static review reports type errors, lint, missing docs and types with lines", async () => {
  const src = [
    "export function total(xs) {",
    "  const unused = 1;",
    "  const n: number = 'x';",
    "  return xs.length + n;",
    "}",
    "",
  ].join("\n");
  await withFile(src, async (file) => {
    const report = await staticReview(file);
    const got = report.findings.map((f) => `${f.severity} ${f.source}/${f.rule}@${f.line}`);
    assert.ok(got.includes("high check/TS7006@1"), got.join("\n"));
    assert.ok(got.includes("high check/TS2322@3"), got.join("\n"));
    assert.ok(got.includes("medium lint/no-unused-vars@2"), got.join("\n"));
    assert.ok(got.includes("low docs/missing-doc@1"), got.join("\n"));
    assert.ok(got.includes("medium docs/untyped-param@1"), got.join("\n"));
    assert.ok(got.includes("medium docs/no-return-type@1"), got.join("\n"));
    assert.equal(report.passed, false);
    assert.equal(report.findings[0]?.severity, "high", "sorted by severity");
  });
});

Deno.test("static review fails a file that uses a forbidden API even when it type-checks", async () => {
  const src =
    `/** Home dir. */\nexport function home(): string {\n  return Deno.env.get("HOME") ?? "";\n}\n`;
  await withFile(src, async (file) => {
    const report = await staticReview(file);
    assert.deepEqual(report.findings.map((f) => [f.source, f.rule, f.line]), [
      ["forbidden", "env", 3],
    ]);
    assert.equal(report.passed, false);
  });
});

Deno.test("static review names the missing file", async () => {
  await assert.rejects(
    () => staticReview("/nonexistent/skill.ts"),
    /Cannot review "\/nonexistent\/skill.ts"/,
  );
});
