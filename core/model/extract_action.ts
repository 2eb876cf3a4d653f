/**
 * The fallback for models without tool calling: code in fenced ```ts / ```typescript / ```js /
 * ```javascript blocks of a plain reply is the action (an `execute_code` call); a reply with
 * no such block is the final answer. Blocks in other languages (json, python, unlabeled) are
 * left as text, so an answer that merely shows an example is not executed by accident.
 */
import type { ToolCall } from "./types.ts";

/** What a plain reply asks for. `thought` is the text outside the code blocks. */
export type FencedAction =
  | { type: "execute_code"; code: string; language: "ts" | "js"; thought: string }
  | { type: "final_answer"; text: string };

const LANGUAGES: Record<string, "ts" | "js"> = {
  ts: "ts",
  typescript: "ts",
  js: "js",
  javascript: "js",
};

// An opening fence: 3+ backticks or tildes, then the info string. The closing fence must use
// the same character and at least as many.
const OPEN = /^[ \t]{0,3}(`{3,}|~{3,})[ \t]*([A-Za-z]*)[^\n]*$/;

/**
 * Reads the action out of a plain reply. Several code blocks are joined in order (models often
 * split one program); an unterminated last block (reply cut at max tokens) still counts.
 *
 * @example
 * ```ts
 * extractAction("Let me look.\n```ts\nconsole.log(1)\n```");
 * // → { type: "execute_code", code: "console.log(1)", language: "ts", thought: "Let me look." }
 * ```
 */
export function extractAction(reply: string): FencedAction {
  const lines = reply.split(/\r?\n/);
  const code: string[] = [];
  const prose: string[] = [];
  let language: "ts" | "js" | undefined;
  for (let i = 0; i < lines.length; i++) {
    const open = OPEN.exec(lines[i]!);
    if (!open) {
      prose.push(lines[i]!);
      continue;
    }
    const fence = open[1]!;
    const close = new RegExp(
      `^[ \\t]{0,3}${fence[0] === "`" ? "`" : "~"}{${fence.length},}[ \\t]*$`,
    );
    let end = i + 1;
    while (end < lines.length && !close.test(lines[end]!)) end++;
    const body = lines.slice(i + 1, end);
    const lang = LANGUAGES[open[2]!.toLowerCase()];
    if (lang) {
      code.push(body.join("\n"));
      language ??= lang;
    } else prose.push(...lines.slice(i, Math.min(end + 1, lines.length)));
    i = end;
  }
  const thought = prose.join("\n").trim();
  if (!language) return { type: "final_answer", text: reply.trim() };
  return { type: "execute_code", code: code.join("\n\n"), language, thought };
}

/** An `execute_code` action as the tool call a tool-calling model would have made. */
export function actionToToolCall(
  action: Extract<FencedAction, { type: "execute_code" }>,
  id = "fenced_0",
): ToolCall {
  return { id, name: "execute_code", arguments: JSON.stringify({ code: action.code }) };
}
