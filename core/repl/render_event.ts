/**
 * How the REPL shows a running task: the model's reply streams as it arrives, the code of each
 * cell is printed before it runs (`┌ code`), its result after (`└ result`), search results and
 * model mistakes briefly, and a last line with the outcome, steps and tokens.
 */
import type { AgentEvent } from "../agent/events.ts";

/** Text for one event (may be empty); `streamed` says whether deltas were already printed. */
export function renderEvent(e: AgentEvent, streamed: { text: boolean }): string {
  switch (e.type) {
    case "model_request":
      streamed.text = false;
      return "";
    case "model_delta":
      streamed.text = true;
      return e.text;
    case "model_reply": {
      const text = streamed.text || !e.content ? "" : e.content;
      return text ? `${text}\n` : streamed.text ? "\n" : "";
    }
    case "code":
      return `┌ code (step ${e.step})\n${indent(e.code)}\n`;
    case "cell_result": {
      const ms = `${Math.round(e.result.ms)} ms`;
      return `└ ${e.result.ok ? "ok" : "error"} (${ms})\n${indent(e.observation)}\n`;
    }
    case "search":
      return `search_tools(${JSON.stringify(e.query)})\n${indent(firstLines(e.observation, 6))}\n`;
    case "tool_error":
      return `! ${e.name}: ${e.message}\n`;
    case "done":
      return e.outcome === "final" ? "" : `[stopped: ${e.outcome}: ${e.detail}]\n`;
  }
}

function indent(text: string): string {
  return text.split("\n").map((l) => `│ ${l}`).join("\n");
}

function firstLines(text: string, n: number): string {
  const lines = text.split("\n");
  return lines.length <= n
    ? text
    : `${lines.slice(0, n).join("\n")}\n… (${lines.length - n} more lines)`;
}
