/**
 * The wire bodies of the scripted model server (scripted_model_server.ts): a chat completion
 * built from a scripted reply, the SSE events that stream it, and deterministic embeddings
 * (a seeded PRNG from a hash of the text, normalised to unit length).
 */
import type { ScriptedReply } from "./scripted_model_server.ts";

/** The OpenAI chat.completion object for a scripted reply. */
export interface WireCompletion {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  choices: {
    index: number;
    message: {
      role: "assistant";
      content: string | null;
      tool_calls?: {
        id: string;
        type: "function";
        function: { name: string; arguments: string };
      }[];
    };
    finish_reason: string;
  }[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

/** Builds the completion for `reply`; default usage is a chars/4 estimate of both sides. */
export function wireCompletion(
  reply: ScriptedReply,
  body: Record<string, unknown>,
  model: string,
): WireCompletion {
  const calls = (reply.toolCalls ?? []).map((c, i) => ({
    id: c.id ?? `call_${i}`,
    type: "function" as const,
    function: {
      name: c.name,
      arguments: typeof c.arguments === "string" ? c.arguments : JSON.stringify(c.arguments),
    },
  }));
  const content = reply.content ?? (calls.length ? null : "");
  const finish = reply.finishReason ?? (calls.length ? "tool_calls" : "stop");
  const completion: WireCompletion = {
    id: "chatcmpl-scripted",
    object: "chat.completion",
    created: 0,
    model: typeof body.model === "string" ? body.model : model,
    choices: [{
      index: 0,
      message: { role: "assistant", content, ...(calls.length ? { tool_calls: calls } : {}) },
      finish_reason: finish,
    }],
  };
  if (reply.usage !== false) {
    const promptChars = JSON.stringify(body.messages ?? []).length;
    const outChars = (content ?? "").length +
      calls.reduce((n, c) => n + c.function.arguments.length, 0);
    const prompt = reply.usage?.promptTokens ?? Math.ceil(promptChars / 4);
    const completionTokens = reply.usage?.completionTokens ?? Math.ceil(outChars / 4);
    completion.usage = {
      prompt_tokens: prompt,
      completion_tokens: completionTokens,
      total_tokens: prompt + completionTokens,
    };
  }
  return completion;
}

/** The SSE events (`data: …\n\n`) that stream `completion`, ending with `data: [DONE]`. */
export function sseEvents(
  completion: WireCompletion,
  chunkSize: number,
  includeUsage: boolean,
): string[] {
  const size = Math.max(1, chunkSize);
  const base = {
    id: completion.id,
    object: "chat.completion.chunk",
    created: 0,
    model: completion.model,
  };
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  const choice = completion.choices[0]!;
  const out: unknown[] = [chunk({ role: "assistant", content: "" })];
  for (const piece of pieces(choice.message.content ?? "", size)) {
    out.push(chunk({ content: piece }));
  }
  (choice.message.tool_calls ?? []).forEach((call, index) => {
    out.push(chunk({
      tool_calls: [{
        index,
        id: call.id,
        type: "function",
        function: { name: call.function.name, arguments: "" },
      }],
    }));
    for (const piece of pieces(call.function.arguments, size)) {
      out.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  });
  out.push(chunk({}, choice.finish_reason));
  if (includeUsage && completion.usage) out.push({ ...base, choices: [], usage: completion.usage });
  return [...out.map((o) => `data: ${JSON.stringify(o)}\n\n`), "data: [DONE]\n\n"];
}

function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** A deterministic unit vector for `text`: same text and size, same vector. */
export function scriptedEmbedding(text: string, dim: number): Float32Array {
  let seed = 0x811c9dc5; // FNV-1a over the UTF-16 code units
  for (let i = 0; i < text.length; i++) seed = Math.imul(seed ^ text.charCodeAt(i), 0x01000193);
  const vector = new Float32Array(dim);
  let norm = 0;
  for (let i = 0; i < dim; i++) {
    seed = (seed + 0x6d2b79f5) | 0; // mulberry32
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    const v = ((t ^ (t >>> 14)) >>> 0) / 4294967296 * 2 - 1;
    vector[i] = v;
    norm += v * v;
  }
  const scale = 1 / Math.sqrt(norm || 1);
  for (let i = 0; i < dim; i++) vector[i] = vector[i]! * scale;
  return vector;
}
