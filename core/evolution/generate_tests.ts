/**
 * `generate_tests(filepath)`: a test-generator sub-agent writes `tests/<name>_test.ts` beside
 * the learned functions (one chat call; external dependencies mocked), which is then run at once
 * in the kernel's sandbox; pass/fail per test and line coverage go back to the caller.
 */
import type { ChatMessage, ModelClient } from "../model/mod.ts";
import { extractCode, ReplyFormatError } from "./model_reply.ts";
import { type Example, TEST_GENERATOR_PROMPT, testRequest } from "./prompts.ts";
import { addUsage, emptyUsage, type SubagentUsage } from "./review_code.ts";
import { runGeneratedTests, type TestRunReport } from "./test_runner.ts";

/** Settings of {@link generateTests}. */
export interface GenerateTestsOptions {
  model: ModelClient;
  modelName?: string;
  task?: string;
  /** learned_skills/ (tests go to `<learnedDir>/tests/`). */
  learnedDir: string;
  /** The kernel's workspace: the only place tests may write. */
  workspaceDir: string;
  examples?: readonly Example[];
  heapMb?: number;
  timeoutMs?: number;
}

/** What generate_tests reports. */
export interface GeneratedTests {
  testFile: string;
  run: TestRunReport;
  usage: SubagentUsage;
}

/** Writes tests for `filepath` (a file under `<learnedDir>/functions/`) and runs them. */
export async function generateTests(
  filepath: string,
  options: GenerateTestsOptions,
): Promise<GeneratedTests> {
  const usage = emptyUsage();
  const source = await Deno.readTextFile(filepath).catch((e) => {
    throw new Error(`Cannot generate tests for "${filepath}": ${(e as Error).message}`);
  });
  const base = filepath.split("/").pop()!.replace(/\.ts$/, "");
  const testFile = `${options.learnedDir}/tests/${base}_test.ts`;
  const code = await writeTestCode(source, relativeImport(testFile, filepath), options, usage);
  await Deno.mkdir(`${options.learnedDir}/tests`, { recursive: true });
  await Deno.writeTextFile(testFile, code);
  const run = await runGeneratedTests(testFile, {
    workspaceDir: options.workspaceDir,
    learnedSkillsDir: options.learnedDir,
    ...(options.heapMb ? { heapMb: options.heapMb } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  return { testFile, run, usage };
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

/** The import specifier of `target` from `from` (both under learned_skills/). */
export function relativeImport(from: string, target: string): string {
  const a = from.split("/").slice(0, -1);
  const b = target.split("/");
  let i = 0;
  while (i < a.length && i < b.length - 1 && a[i] === b[i]) i++;
  const up = a.length - i;
  return (up === 0 ? "./" : "../".repeat(up)) + b.slice(i).join("/");
}
