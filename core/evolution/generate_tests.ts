/**
 * `generate_tests(filepath)`: a test-generator sub-agent writes tests for a learned function (one
 * chat call; external dependencies mocked). The test is model-written code, so it goes the way a
 * generated function goes: staged beside a copy of the function in a scratch folder, statically
 * checked (forbidden-API scan included), run only in the sandbox, then put to the approval policy
 * with the test shown. Approved, it becomes `learned_skills/tests/<name>_test.ts`; pending, it
 * waits in `<state>/pending/tests/<name>_test/`; rejected, nothing is kept.
 */
import type { ChatMessage, ModelClient } from "../model/mod.ts";
import type { Logger } from "../log.ts";
import { type ApprovalMode, type Approver, decideApproval } from "./approval.ts";
import { type EvolutionPaths, pendingDir, scratchDir } from "./evolution_paths.ts";
import type { Finding } from "./finding.ts";
import { reviewTest, type SandboxLimits, sandboxOptions } from "./staged_test.ts";
import { extractCode, ReplyFormatError } from "./model_reply.ts";
import { type Example, TEST_GENERATOR_PROMPT, testRequest } from "./prompts.ts";
import { addUsage, emptyUsage, type SubagentUsage } from "./review_code.ts";
import { runGeneratedTests, type TestRunReport } from "./test_runner.ts";

/** Settings of {@link generateTests}. */
export interface GenerateTestsOptions {
  model: ModelClient;
  modelName?: string;
  task?: string;
  paths: EvolutionPaths;
  approval: ApprovalMode;
  /** Asked in `manual` mode; absent = the test stays pending. */
  approver?: Approver;
  sandbox?: SandboxLimits;
  examples?: readonly Example[];
  timeoutMs?: number;
  log?: Logger;
}

/** What generate_tests reports. `testFile` is where the test was kept (none when rejected). */
export interface GeneratedTests {
  status: "approved" | "pending" | "rejected";
  reason: string;
  testFile: string | null;
  /** The sandboxed run; absent when the static checks stopped the test before it ran. */
  run?: TestRunReport;
  findings: Finding[];
  usage: SubagentUsage;
}

/** Writes tests for `filepath` (a file under `<learnedDir>/functions/`), runs and decides them. */
export async function generateTests(
  filepath: string,
  options: GenerateTestsOptions,
): Promise<GeneratedTests> {
  const usage = emptyUsage();
  const source = await Deno.readTextFile(filepath).catch((e) => {
    throw new Error(`Cannot generate tests for "${filepath}": ${(e as Error).message}`);
  });
  const base = filepath.split("/").pop()!.replace(/\.ts$/, "");
  const code = await writeTestCode(source, `../functions/${base}.ts`, options, usage);
  const stage = await scratchDir(options.paths.stateDir, `tests_${base}_`);
  try {
    await Deno.mkdir(`${stage}/functions`);
    await Deno.mkdir(`${stage}/tests`);
    await Deno.writeTextFile(`${stage}/functions/${base}.ts`, source);
    const staged = `${stage}/tests/${base}_test.ts`;
    await Deno.writeTextFile(staged, code);
    const review = await reviewTest(staged);
    const run = review.passed
      ? await runGeneratedTests(staged, {
        ...sandboxOptions(stage, options),
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      })
      : undefined;
    const decision = await decideApproval(
      options.approval,
      { staticPassed: review.passed, testsPassed: run?.ok ?? false, reviewPassed: review.passed },
      {
        kind: "tests",
        name: `${base}_test`,
        path: `tests/${base}_test.ts`,
        code,
        findings: review.findings,
        testsPassed: run?.ok ?? false,
        lineCoverage: run?.lineCoverage ?? null,
      },
      options.approver,
    );
    let testFile: string | null = null;
    if (decision.status === "approved") {
      testFile = `${options.paths.learnedDir}/tests/${base}_test.ts`;
      await Deno.mkdir(`${options.paths.learnedDir}/tests`, { recursive: true });
      await Deno.writeTextFile(testFile, code);
    } else if (decision.status === "pending") {
      const dir = pendingDir(options.paths.stateDir, "tests", `${base}_test`);
      await Deno.mkdir(dir, { recursive: true });
      testFile = `${dir}/${base}_test.ts`;
      await Deno.writeTextFile(testFile, code);
    }
    return {
      status: decision.status,
      reason: decision.reason,
      testFile,
      ...(run ? { run } : {}),
      findings: review.findings,
      usage,
    };
  } finally {
    await Deno.remove(stage, { recursive: true }).catch(() => {});
  }
}

/** Asks the test generator for a test module (one retry on a reply without code). */
export async function writeTestCode(
  source: string,
  importPath: string,
  options: Pick<GenerateTestsOptions, "model" | "modelName" | "task" | "examples">,
  usage: SubagentUsage,
): Promise<string> {
  const messages: ChatMessage[] = [
    { role: "system", content: TEST_GENERATOR_PROMPT },
    { role: "user", content: testRequest(source, importPath, options.examples ?? []) },
  ];
  for (let attempt = 0;; attempt++) {
    const reply = await options.model.chat(
      { messages, ...(options.modelName ? { model: options.modelName } : {}) },
      options.task ? { task: options.task } : {},
    );
    addUsage(usage, reply.usage);
    try {
      return extractCode(reply.message.content);
    } catch (e) {
      if (!(e instanceof ReplyFormatError) || attempt >= 1) throw e;
      messages.push({ role: "assistant", content: reply.message.content });
      messages.push({ role: "user", content: `${e.message}. Reply with the tests only.` });
    }
  }
}
