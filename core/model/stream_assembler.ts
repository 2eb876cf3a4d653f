/**
 * Assembles a streamed chat completion (SSE chunks) into one reply. Tool calls arrive as
 * fragments keyed by `index`: the first fragment carries the id and name, later ones append
 * to the arguments string. Usage arrives in a final chunk with no choices, when requested.
 */
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import type { FinishReason, ToolCall } from "./types.ts";
import { toFinishReason } from "./openai_wire.ts";

/** Collects chunks; `push` returns the text delta of the chunk (possibly ""). */
export class StreamAssembler {
  #content = "";
  readonly #calls = new Map<number, ToolCall>();
  #finishReason: string | null = null;
  #usage: { promptTokens: number; completionTokens: number } | undefined;
  #model = "";

  /** Adds one chunk and returns the text it carries. */
  push(chunk: ChatCompletionChunk): string {
    if (chunk.model) this.#model = chunk.model;
    if (chunk.usage) {
      this.#usage = {
        promptTokens: chunk.usage.prompt_tokens,
        completionTokens: chunk.usage.completion_tokens,
      };
    }
    const choice = chunk.choices[0];
    if (!choice) return "";
    if (choice.finish_reason) this.#finishReason = choice.finish_reason;
    for (const fragment of choice.delta.tool_calls ?? []) {
      let call = this.#calls.get(fragment.index);
      if (!call) {
        call = { id: "", name: "", arguments: "" };
        this.#calls.set(fragment.index, call);
      }
      if (fragment.id) call.id = fragment.id;
      if (fragment.function?.name) call.name += fragment.function.name;
      if (fragment.function?.arguments) call.arguments += fragment.function.arguments;
    }
    const text = choice.delta.content ?? "";
    this.#content += text;
    return text;
  }

  /** True once a chunk carried a finish reason: the reply is complete. */
  get finished(): boolean {
    return this.#finishReason !== null;
  }

  /** The assembled reply; tool calls in index order. */
  result(): {
    content: string;
    toolCalls: ToolCall[];
    finishReason: FinishReason;
    usage: { promptTokens: number; completionTokens: number } | undefined;
    model: string;
  } {
    const toolCalls = [...this.#calls.entries()].sort(([a], [b]) => a - b).map(([, c]) => c);
    return {
      content: this.#content,
      toolCalls,
      finishReason: toFinishReason(this.#finishReason),
      usage: this.#usage,
      model: this.#model,
    };
  }
}
