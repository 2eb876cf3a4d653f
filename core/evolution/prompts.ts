/**
 * The prompts of the three evolution sub-agents: code generator, test generator and reviewer.
 * Each is one chat call; the reply carries a fenced ```ts block (code, tests) or a fenced
 * ```json block (findings). The rules mirror what the static pipeline enforces, so a model that
 * follows them passes on the first round.
 */
import type { Finding } from "./finding.ts";
import { formatFindings } from "./finding.ts";
import { ALLOWED_IMPORTS } from "./forbidden_apis.ts";

const RULES = [
  "Write one self-contained TypeScript module for Deno, strict mode, noUncheckedIndexedAccess.",
  "Export exactly one function with the given name, with typed parameters, a declared return type",
  "and a /** doc comment */ saying what it does, its parameters and what it returns.",
  `Imports allowed: ${[...ALLOWED_IMPORTS].join(", ")}. No other imports.`,
  "Forbidden: Deno.Command/run/env/connect/openKv/dlopen/exit, fetch, WebSocket, eval,",
  "new Function, require, Worker, dynamic import(), process.env, writing files.",
  "Registered tools are not available inside the function: take their results as parameters.",
].join("\n");

/** The code generator's system prompt. */
export const CODE_GENERATOR_PROMPT = `You write small, reviewed TypeScript functions.\n${RULES}\n` +
  "Reply with the module in one ```ts fenced block and nothing else.";

/** The test generator's system prompt. */
export const TEST_GENERATOR_PROMPT = "You write Deno unit tests for one TypeScript module.\n" +
  'Use `Deno.test("<behaviour in words>", ...)` and `import assert from "node:assert/strict"`.\n' +
  "Import the module under test with the relative path you are given. Mock every external\n" +
  "dependency with plain objects; tests get no network, environment or subprocesses and may write\n" +
  "only relative paths. Cover normal cases, edge cases and bad input.\n" +
  "Reply with the test module in one ```ts fenced block and nothing else.";

/** The reviewer's system prompt. */
export const REVIEWER_PROMPT =
  "You review generated TypeScript before it is loaded into an agent.\n" +
  "Look for: wrong results, unhandled edge cases, unsafe or forbidden APIs, missing types or docs.\n" +
  "Severity: high = wrong or unsafe (blocks loading), medium = should fix, low = style.\n" +
  "Reply with one ```json fenced block: an array of " +
  '{"severity":"high|medium|low","line":<1-based>,"message":"...","fix":"..."} ' +
  "(an empty array when the code is fine).";

/** The user message asking for a function. */
export function codeRequest(
  name: string,
  description: string,
  examples: readonly Example[],
  feedback?: { code: string; findings: readonly Finding[] },
): string {
  const ex = examples.map((e) => `- ${e.input} => ${e.output}`).join("\n");
  let text = `Function name: ${name}\nWhat it does: ${description}\n` +
    (ex ? `Examples (call => result):\n${ex}\n` : "");
  if (feedback) {
    text += `\nYour previous version:\n\`\`\`ts\n${feedback.code}\n\`\`\`\n` +
      `It has these problems; fix all of them:\n${formatFindings(feedback.findings)}\n`;
  }
  return text;
}

/** The user message asking for tests of `source` (imported as `importPath`). */
export function testRequest(source: string, importPath: string, examples: readonly Example[]) {
  const ex = examples.map((e) => `- ${e.input} => ${e.output}`).join("\n");
  return `Module (import it as "${importPath}"):\n\`\`\`ts\n${source}\n\`\`\`\n` +
    (ex ? `Known examples (call => result):\n${ex}\n` : "");
}

/** The user message asking for a review, with the static findings already known. */
export function reviewRequest(path: string, source: string, known: readonly Finding[]): string {
  const numbered = source.split("\n").map((l, i) => `${String(i + 1).padStart(3)}| ${l}`);
  return `File ${path}:\n\`\`\`ts\n${numbered.join("\n")}\n\`\`\`\n` +
    `Static checks already found:\n${formatFindings(known)}\nReport only new problems.`;
}

/** An example call and its expected result, both as source text. */
export interface Example {
  input: string;
  output: string;
}
