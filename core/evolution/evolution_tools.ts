/**
 * The evolution functions as registry tools, so cells reach them through the same route as
 * every tool (`await tools.generate_function({...})`): each is a thin definition over
 * `ctx.services.evolution` (evolution_service.ts). The files in `tools/` re-export these.
 */
import { z } from "zod";
import { defineTool } from "../tool.ts";
import { evolutionServiceFrom } from "./evolution_service.ts";
import { formatFindings } from "./finding.ts";

const path = z.string().min(1).describe("Path inside learned_skills/, e.g. functions/slugify.ts");

/** generate_function(name, description, examples). */
export const generateFunctionTool = defineTool({
  description: "Generate a reusable TypeScript function from a description and examples; it is " +
    "type-checked, linted, scanned, tested and reviewed, then loaded into the kernel (from the " +
    "next cell) when the approval policy allows",
  input: z.object({
    name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/).describe("Function and file name"),
    description: z.string().min(1).describe("What the function does"),
    examples: z.array(z.object({
      input: z.string().describe('A call, e.g. slugify("Hello World")'),
      output: z.string().describe('Its expected result as code, e.g. "hello-world"'),
    })).default([]).describe("Example calls and results"),
  }),
  tags: ["learn", "skill", "create", "codegen", "automate", "evolution"],
  timeoutMs: 600_000,
  run: async ({ name, description, examples }, ctx) => {
    const r = await evolutionServiceFrom(ctx.services).generateFunction(
      name,
      description,
      examples,
    );
    return {
      status: r.status,
      reason: r.reason,
      path: r.path ?? null,
      version: r.version ?? null,
      rounds: r.rounds.length,
      tests: r.rounds.at(-1)?.tests
        ? { passed: r.rounds.at(-1)!.tests!.passed, failed: r.rounds.at(-1)!.tests!.failed }
        : null,
      remaining: formatFindings(r.remaining),
      tokens: r.usage.promptTokens + r.usage.completionTokens,
    };
  },
});

/** generate_subagent(name, purpose, tools). */
export const generateSubagentTool = defineTool({
  description: "Create a specialised sub-agent (system prompt and tool allow-list) callable " +
    "with call_subagent; its tools run only in the sandbox",
  input: z.object({
    name: z.string().regex(/^[a-z][a-z0-9_]*$/).describe("lower_snake_case name"),
    purpose: z.string().min(1).describe("What the sub-agent is for"),
    tools: z.array(z.string()).default([]).describe("Registry tools it may call"),
  }),
  tags: ["agent", "subagent", "create", "evolution"],
  timeoutMs: 300_000,
  run: async ({ name, purpose, tools }, ctx) => {
    const r = await evolutionServiceFrom(ctx.services).generateSubagent(name, purpose, tools);
    return {
      status: r.status,
      reason: r.reason,
      dir: r.dir ?? null,
      findings: formatFindings(r.findings),
    };
  },
});

/** generate_tests(filepath). */
export const generateTestsTool = defineTool({
  description: "Write unit tests for a learned function, check them and run them in the " +
    "sandbox (pass/fail per test, line coverage); they are kept in learned_skills/tests/ only " +
    "when the approval policy allows",
  input: z.object({ filepath: path }),
  tags: ["test", "coverage", "evolution"],
  timeoutMs: 300_000,
  run: async ({ filepath }, ctx) => {
    const r = await evolutionServiceFrom(ctx.services).generateTests(filepath);
    return {
      status: r.status,
      reason: r.reason,
      testFile: r.testFile,
      ok: r.run?.ok ?? false,
      tests: (r.run?.tests ?? []).map((t) => ({
        name: t.name,
        passed: t.passed,
        failure: t.failure ?? null,
      })),
      lineCoverage: r.run?.lineCoverage ?? null,
      error: r.run?.error ?? null,
      findings: formatFindings(r.findings),
    };
  },
});

/** review_generated_code(filepath). */
export const reviewGeneratedCodeTool = defineTool({
  description: "Review a generated file: type errors, lint, forbidden APIs, missing types or " +
    "docs, plus a reviewer model; findings with severity, line and a suggested fix",
  input: z.object({ filepath: path }),
  tags: ["review", "lint", "check", "security", "evolution"],
  timeoutMs: 300_000,
  run: async ({ filepath }, ctx) => {
    const r = await evolutionServiceFrom(ctx.services).review(filepath);
    return { passed: r.passed, reviewed: r.reviewed, findings: r.findings };
  },
});

/** analyze_history(). */
export const analyzeHistoryTool = defineTool({
  description: "Find repeated code patterns in this session's cells and suggest functions to " +
    "generate, with the tokens each would save (nothing is generated without approval)",
  input: z.object({
    minOccurrences: z.number().int().min(2).default(2).describe("Fewest repetitions"),
    limit: z.number().int().min(1).max(50).default(5).describe("How many suggestions"),
  }),
  tags: ["patterns", "suggest", "optimize", "history", "evolution"],
  run: async ({ minOccurrences, limit }, ctx) => {
    const s = await evolutionServiceFrom(ctx.services).analyzeHistory({ minOccurrences, limit });
    return s.map((x) => ({ ...x, example: x.example.slice(0, 2000) }));
  },
});

/** save_session_state(name). */
export const saveSessionStateTool = defineTool({
  description: "Save this session (data variables, definitions, learned functions, " +
    "conversation, history) under sessions/<name>/ once the current cell finishes",
  input: z.object({ name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/) }),
  tags: ["session", "save", "persist", "checkpoint"],
  run: ({ name }, ctx) => {
    evolutionServiceFrom(ctx.services).queueSave(name);
    return { scheduled: true, dir: `sessions/${name}/` };
  },
});

/** load_session_state(name). */
export const loadSessionStateTool = defineTool({
  description: "Restore a saved session into this kernel once the current cell finishes; the " +
    "report is then in the variable session_load_report",
  input: z.object({ name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/) }),
  tags: ["session", "load", "restore", "resume"],
  run: ({ name }, ctx) => {
    evolutionServiceFrom(ctx.services).queueLoad(name);
    return { scheduled: true, reportVariable: "session_load_report" };
  },
});
