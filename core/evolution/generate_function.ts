/**
 * `generate_function(name, description, examples)`: generate -> check -> test -> review ->
 * refine, up to `maxRefinements` extra rounds. Each round's code and tests are staged in a
 * scratch folder under the evolution state folder (never seen by a kernel or by the project's
 * `deno test`): the function and its model-written test both pass the static checks (forbidden-
 * API scan included), the test runs only in the sandbox, and in `review`/`manual` mode the
 * reviewer sub-agent reads the code. Findings and failing tests are the next round's feedback.
 * Approved code is written with its header and versioned, its test to learned_skills/tests/;
 * code awaiting a person goes to `<state>/pending/functions/<name>/`; nothing that failed is kept.
 */
import type { ChatMessage, ModelClient } from "../model/mod.ts";
import type { Logger } from "../log.ts";
import {
  type ApprovalDecision,
  type ApprovalMode,
  type Approver,
  decideApproval,
  needsModelReview,
} from "./approval.ts";
import { type Finding, passesReview, sortFindings } from "./finding.ts";
import { writeTestCode } from "./generate_tests.ts";
import { extractCode, ReplyFormatError } from "./model_reply.ts";
import { CODE_GENERATOR_PROMPT, codeRequest, type Example } from "./prompts.ts";
import { addUsage, askReviewer, emptyUsage, type SubagentUsage } from "./review_code.ts";
import { assertSkillName, writeVersioned } from "./skill_file.ts";
import { staticReview } from "./static_review.ts";
import { runGeneratedTests, type TestRunReport } from "./test_runner.ts";
import { type EvolutionPaths, pendingDir, scratchDir } from "./evolution_paths.ts";
import { reviewTest, type SandboxLimits, sandboxOptions } from "./staged_test.ts";

/** Settings of one generation. */
export interface GenerateFunctionOptions {
  model: ModelClient;
  /** The sub-agent model (config.model.subagentName). */
  modelName?: string;
  /** Absolute learned_skills/ and state folder (evolution_paths.ts). */
  paths: EvolutionPaths;
  /** The kernel's limits for the sandboxed test run (config.kernel). */
  sandbox?: SandboxLimits;
  approval: ApprovalMode;
  maxRefinements: number;
  /** Asked in `manual` mode (the REPL); absent = the code stays pending. */
  approver?: Approver;
  /** The session that asked, recorded in the header. */
  session: string;
  task?: string;
  log?: Logger;
}

/** What happened in one round. */
export interface RoundReport {
  round: number;
  findings: Finding[];
  tests?: TestRunReport;
  passed: boolean;
}

/** The structured report returned to the orchestrator. */
export interface GenerationReport {
  name: string;
  status: ApprovalDecision["status"];
  reason: string;
  /** The current file when approved, the pending copy when pending. */
  path?: string;
  testFile?: string;
  version?: number;
  rounds: RoundReport[];
  /** What is still wrong when the rounds ran out. */
  remaining: Finding[];
  usage: SubagentUsage;
  ms: number;
}

/** Runs the whole pipeline for one function. */
export async function generateFunction(
  name: string,
  description: string,
  examples: readonly Example[],
  o: GenerateFunctionOptions,
): Promise<GenerationReport> {
  assertSkillName(name);
  if (!description.trim()) throw new TypeError("generate_function: description is empty");
  const started = performance.now();
  const usage = emptyUsage();
  const rounds: RoundReport[] = [];
  const { learnedDir, stateDir } = o.paths;
  const stage = await scratchDir(stateDir, `stage_${name}_`);
  const fnFile = `${stage}/functions/${name}.ts`;
  const testFile = `${stage}/tests/${name}_test.ts`;
  await Deno.mkdir(`${stage}/functions`, { recursive: true });
  await Deno.mkdir(`${stage}/tests`, { recursive: true });
  const chatOpts = o.task ? { task: o.task } : {};
  const model = o.modelName ? { model: o.modelName } : {};
  let feedback: { code: string; findings: Finding[] } | undefined;
  try {
    for (let round = 1; round <= o.maxRefinements + 1; round++) {
      const code = await askGenerator(
        o.model,
        name,
        description,
        examples,
        feedback,
        { ...model },
        chatOpts,
        usage,
      );
      await Deno.writeTextFile(fnFile, code);
      const stat = await staticReview(fnFile);
      let findings = stat.findings;
      let tests: TestRunReport | undefined;
      let testCode = "";
      if (stat.passed) {
        testCode = await writeTestCode(code, `../functions/${name}.ts`, {
          model: o.model,
          ...(o.modelName ? { modelName: o.modelName } : {}),
          ...(o.task ? { task: o.task } : {}),
          examples,
        }, usage);
        await Deno.writeTextFile(testFile, testCode);
        const testReview = await reviewTest(testFile);
        findings = [...findings, ...testReview.findings];
        if (testReview.passed) {
          tests = await runGeneratedTests(testFile, sandboxOptions(stage, o));
          findings = [...findings, ...testFindings(tests)];
        }
      }
      let reviewPassed: boolean | undefined;
      if (stat.passed && tests?.ok && needsModelReview(o.approval)) {
        const extra = await askReviewer(o.model, `functions/${name}.ts`, code, findings, {
          ...(o.modelName ? { modelName: o.modelName } : {}),
          ...(o.task ? { task: o.task } : {}),
        }, usage);
        findings = [...findings, ...(extra ?? [])];
        reviewPassed = extra !== undefined && passesReview(findings);
        if (extra === undefined) findings.push(unreadableReview());
      }
      findings = sortFindings(findings);
      const passed = stat.passed && (tests?.ok ?? false) && reviewPassed !== false;
      rounds.push({ round, findings, ...(tests ? { tests } : {}), passed });
      o.log?.info("evolution.round", { name, round, passed, findings: findings.length });
      if (!passed) {
        feedback = { code, findings };
        continue;
      }
      const request = {
        kind: "function" as const,
        name,
        path: `functions/${name}.ts`,
        code,
        tests: testCode,
        findings,
        testsPassed: true,
        lineCoverage: tests?.lineCoverage ?? null,
      };
      const outcome = {
        staticPassed: true,
        testsPassed: true,
        ...(reviewPassed !== undefined ? { reviewPassed } : {}),
      };
      const decision = await decideApproval(o.approval, outcome, request, o.approver);
      const base = {
        name,
        status: decision.status,
        reason: decision.reason,
        rounds,
        remaining: [],
        usage,
      };
      if (decision.status === "approved") {
        const written = await writeVersioned(`${learnedDir}/functions`, name, code, {
          model: o.modelName ?? o.model.model,
          session: o.session,
        });
        const finalTest = `${learnedDir}/tests/${name}_test.ts`;
        await Deno.mkdir(`${learnedDir}/tests`, { recursive: true });
        await Deno.copyFile(testFile, finalTest);
        return {
          ...base,
          path: written.path,
          testFile: finalTest,
          version: written.meta.version,
          ms: performance.now() - started,
        };
      }
      if (decision.status === "pending") {
        const dir = pendingDir(stateDir, "functions", name);
        await Deno.remove(dir, { recursive: true }).catch(() => {});
        await Deno.mkdir(dir, { recursive: true });
        await Deno.copyFile(fnFile, `${dir}/${name}.ts`);
        await Deno.copyFile(testFile, `${dir}/${name}_test.ts`);
        await Deno.writeTextFile(
          `${dir}/report.json`,
          JSON.stringify({ description, examples, findings, session: o.session }, null, 2),
        );
        return { ...base, path: `${dir}/${name}.ts`, ms: performance.now() - started };
      }
      return { ...base, ms: performance.now() - started };
    }
    const last = rounds.at(-1)!;
    return {
      name,
      status: "rejected",
      reason: `still failing after ${rounds.length} round(s)`,
      rounds,
      remaining: last.findings.filter((f) => f.severity === "high"),
      usage,
      ms: performance.now() - started,
    };
  } finally {
    await Deno.remove(stage, { recursive: true }).catch(() => {});
  }
}

async function askGenerator(
  client: ModelClient,
  name: string,
  description: string,
  examples: readonly Example[],
  feedback: { code: string; findings: Finding[] } | undefined,
  model: { model?: string },
  chatOpts: { task?: string },
  usage: SubagentUsage,
): Promise<string> {
  const messages: ChatMessage[] = [
    { role: "system", content: CODE_GENERATOR_PROMPT },
    { role: "user", content: codeRequest(name, description, examples, feedback) },
  ];
  for (let attempt = 0;; attempt++) {
    const reply = await client.chat({ messages, ...model }, chatOpts);
    addUsage(usage, reply.usage);
    try {
      return extractCode(reply.message.content);
    } catch (e) {
      if (!(e instanceof ReplyFormatError) || attempt >= 1) throw e;
      messages.push({ role: "assistant", content: reply.message.content });
      messages.push({ role: "user", content: `${e.message}. Reply with the module only.` });
    }
  }
}

/** Failing tests (or a run that did not finish) as high findings for the next round. */
export function testFindings(run: TestRunReport): Finding[] {
  if (run.tests.length === 0 || run.timedOut) {
    return [{
      severity: "high",
      source: "test",
      rule: run.timedOut ? "timeout" : "no-tests",
      line: 0,
      message: `the tests did not run: ${run.error ?? "no test results"}`,
      fix: "Make the module load and finish quickly.",
    }];
  }
  return run.tests.filter((t) => !t.passed).map((t) => ({
    severity: "high",
    source: "test",
    rule: "failed-test",
    line: 0,
    message: `test "${t.name}" failed: ${t.failure ?? "no message"}`,
    fix: "Make the function satisfy the test (or its examples).",
  }));
}

function unreadableReview(): Finding {
  return {
    severity: "high",
    source: "review",
    rule: "unreadable",
    line: 0,
    message: "the reviewer's reply could not be read",
    fix: "Regenerate; the review will run again.",
  };
}
