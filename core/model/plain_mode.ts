/**
 * Rewrites a tool-calling request for an endpoint that cannot call tools: the tools become a
 * system note asking for a fenced ```ts block, earlier tool calls become that fenced code, and
 * tool results become user messages. The reply is then read with `extractAction`.
 */
import type { ChatMessage, ChatRequest, ToolSchema } from "./types.ts";

/** The system note that describes the tools to a model without tool calling. */
export function plainToolsNote(tools: readonly ToolSchema[]): string {
  const list = tools.map((t) => {
    const params = JSON.stringify(t.parameters?.properties ?? {});
    return `- ${t.name}: ${t.description ?? "(no description)"} Parameters: ${params}`;
  });
  return [
    "Tool calling is not available on this endpoint. To act, reply with one ```ts code block;",
    "it is run and its output is sent back to you. Reply without a code block to give your",
    "final answer. The tools you would otherwise call:",
    ...list,
  ].join("\n");
}

/** Text form of an assistant tool call, the way the model is asked to write it. */
function callAsText(name: string, args: string): string {
  if (name === "execute_code") {
    try {
      const parsed = JSON.parse(args) as { code?: unknown };
      if (typeof parsed.code === "string") return "```ts\n" + parsed.code + "\n```";
    } catch {
      // not JSON: fall through and show it raw
    }
  }
  return "```ts\nawait " + name + "(" + args + ")\n```";
}

/** The request without tools, with the tools described in the first system message. */
export function toPlainRequest(request: ChatRequest): ChatRequest {
  const { tools, toolChoice: _choice, ...rest } = request;
  const messages: ChatMessage[] = request.messages.map((m): ChatMessage => {
    if (m.role === "tool") return { role: "user", content: `Output:\n${m.content}` };
    if (m.role === "assistant" && m.toolCalls?.length) {
      const calls = m.toolCalls.map((c) => callAsText(c.name, c.arguments));
      return { role: "assistant", content: [m.content, ...calls].filter(Boolean).join("\n\n") };
    }
    return m;
  });
  if (tools?.length) {
    const note = plainToolsNote(tools);
    const first = messages[0];
    if (first?.role === "system") {
      messages[0] = { role: "system", content: `${first.content}\n\n${note}` };
    } else messages.unshift({ role: "system", content: note });
  }
  return { ...rest, messages };
}

/** True when a 400 error message says the model or server cannot do tool calls. */
export function isToolsUnsupported(status: number | undefined, message: string): boolean {
  if (status !== 400 && status !== 422 && status !== 501) return false;
  // Ollama: "... does not support tools"; vLLM: "auto" tool choice requires
  // --enable-auto-tool-choice; llama.cpp: "tools param requires --jinja flag".
  return /tool/i.test(message) &&
    /(not support|unsupported|requires|not enabled|enable-auto-tool-choice|jinja)/i.test(message);
}
