/** Tests of the REPL texts for approval, suggestions and loads. */
import assert from "node:assert/strict";
import { formatApprovalRequest, formatLoadReport, formatSuggestions } from "./repl_text.ts";

Deno.test("the approval prompt numbers the code and lists findings and tests", () => {
  const text = formatApprovalRequest({
    kind: "function",
    name: "f",
    path: "functions/f.ts",
    code: "export const a = 1;\nexport const b = 2;",
    findings: [{
      severity: "low",
      source: "docs",
      rule: "missing-doc",
      message: "no doc",
      line: 1,
      fix: "add one",
    }],
    testsPassed: true,
    lineCoverage: 0.5,
  });
  assert.ok(text.includes("   2 | export const b = 2;"));
  assert.match(text, /line coverage 50%/);
  assert.match(text, /\[low\] line 1 docs\/missing-doc/);
  assert.match(text, /\[y\/N\]$/);
});

Deno.test("suggestions render with savings and parameters; none says so", () => {
  assert.equal(formatSuggestions([]), "No repeated patterns yet.");
  const text = formatSuggestions([{
    name: "weather_lookup",
    description: "Repeated 3x",
    occurrences: 3,
    records: [0, 1, 2],
    example: "x",
    parameters: [{ name: "p1", examples: ["Paris", "Oslo"] }],
    codeTokens: 80,
    callTokens: 10,
    estimatedTokensSaved: 210,
    cohesion: 1,
  }]);
  assert.match(text, /1\. weather_lookup: used 3x, ~210 tokens saved \(80 -> 10 per use\)/);
  assert.match(text, /parameters: p1 \(e\.g\. "Paris"\)/);
});

Deno.test("the load report names what was not restored", () => {
  const text = formatLoadReport("demo", {
    conversation: [],
    history: [],
    learned: { ok: [], changed: [], missing: [] },
    functions: ["slugify"],
    restored: ["rows"],
    lost: [{ what: "functions/gone.ts", reason: "missing" }],
    ms: 12.3,
  });
  assert.match(text, /1 variable\(s\), 1 learned function\(s\)/);
  assert.match(text, /not restored: functions\/gone.ts \(missing\)/);
});
