/**
 * Token counting for usage accounting when an endpoint reports none (some local servers, and
 * streams without `include_usage`). gpt-tokenizer's o200k_base is loaded on first use, since
 * loading costs ~100 ms and ~130 MB; counts for non-OpenAI models are estimates.
 */
import type { ChatMessage, ToolSchema } from "./types.ts";

type Encoder = (text: string) => number;

let encoder: Promise<Encoder> | undefined;

/** Loads the o200k_base encoder once; later calls share it. */
export function loadTokenizer(): Promise<Encoder> {
  encoder ??= import("gpt-tokenizer/encoding/o200k_base").then((m) => {
    // Text from users may contain "<|endoftext|>": count it as text instead of throwing.
    const options = { disallowedSpecial: new Set<string>() };
    return (text: string) => m.encode(text, options).length;
  });
  return encoder;
}

/** Per-message overhead of the chat format (OpenAI's published counting recipe). */
const PER_MESSAGE = 3;
/** Every reply is primed with `<|start|>assistant<|message|>`. */
const REPLY_PRIMING = 3;

/** Tokens in a text, or in a prompt of messages (plus tool schemas) as the API would count. */
export async function countTokens(
  input: string | readonly ChatMessage[],
  tools?: readonly ToolSchema[],
): Promise<number> {
  const count = await loadTokenizer();
  if (typeof input === "string") return count(input);
  let total = REPLY_PRIMING;
  for (const message of input) {
    total += PER_MESSAGE + count(message.role) + count(message.content);
    if (message.role === "assistant") {
      for (const call of message.toolCalls ?? []) total += count(call.name + call.arguments) + 3;
    }
  }
  // Tool schemas are rendered into the prompt; their JSON is a close, slightly high estimate.
  if (tools?.length) total += count(JSON.stringify(tools));
  return total;
}

/** Tokens the model produced: the text plus each tool call's name and arguments. */
export async function countCompletionTokens(
  content: string,
  toolCalls: readonly { name: string; arguments: string }[] = [],
): Promise<number> {
  const count = await loadTokenizer();
  let total = count(content);
  for (const call of toolCalls) total += count(call.name) + count(call.arguments) + 3;
  return total;
}
