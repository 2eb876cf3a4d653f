/**
 * Conversion between the gateway's provider-neutral shapes (types.ts) and the OpenAI chat
 * completions wire format that npm:openai sends, and that Ollama, vLLM, LM Studio and
 * llama.cpp's server accept.
 */
import type {
  ChatCompletion,
  ChatCompletionMessageParam,
  ChatCompletionTool,
  ChatCompletionToolChoiceOption,
} from "openai/resources/chat/completions";
import type { ChatMessage, FinishReason, ToolCall, ToolChoice, ToolSchema } from "./types.ts";

/** Our messages as OpenAI message params. */
export function toWireMessages(messages: readonly ChatMessage[]): ChatCompletionMessageParam[] {
  return messages.map((m): ChatCompletionMessageParam => {
    switch (m.role) {
      case "system":
      case "user":
        return { role: m.role, content: m.content };
      case "tool":
        return { role: "tool", tool_call_id: m.toolCallId, content: m.content };
      case "assistant": {
        if (!m.toolCalls?.length) return { role: "assistant", content: m.content };
        return {
          role: "assistant",
          content: m.content === "" ? null : m.content,
          tool_calls: m.toolCalls.map((c) => ({
            id: c.id,
            type: "function" as const,
            function: { name: c.name, arguments: c.arguments },
          })),
        };
      }
    }
  });
}

/** Our tool schemas as OpenAI function tools. */
export function toWireTools(tools: readonly ToolSchema[]): ChatCompletionTool[] {
  return tools.map((t) => ({
    type: "function" as const,
    function: {
      name: t.name,
      ...(t.description === undefined ? {} : { description: t.description }),
      parameters: t.parameters ?? { type: "object", properties: {} },
    },
  }));
}

/** Our tool choice as OpenAI's. */
export function toWireToolChoice(choice: ToolChoice): ChatCompletionToolChoiceOption {
  return typeof choice === "string"
    ? choice
    : { type: "function", function: { name: choice.name } };
}

/** Maps OpenAI's finish reasons onto ours (`function_call` and unknowns become `other`). */
export function toFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case "stop":
    case "length":
    case "tool_calls":
    case "content_filter":
      return reason;
    default:
      return "other";
  }
}

/** The parts of a non-streaming completion the gateway keeps. */
export function fromWireCompletion(completion: ChatCompletion): {
  content: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage: { promptTokens: number; completionTokens: number } | undefined;
  model: string;
} {
  const choice = completion.choices[0];
  const toolCalls: ToolCall[] = [];
  for (const call of choice?.message.tool_calls ?? []) {
    if (call.type === "function") {
      toolCalls.push({ id: call.id, name: call.function.name, arguments: call.function.arguments });
    }
  }
  const u = completion.usage;
  return {
    content: choice?.message.content ?? "",
    toolCalls,
    finishReason: toFinishReason(choice?.finish_reason),
    usage: u ? { promptTokens: u.prompt_tokens, completionTokens: u.completion_tokens } : undefined,
    model: completion.model,
  };
}
