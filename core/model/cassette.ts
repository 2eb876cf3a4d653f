/**
 * The cassette format for recording and replaying model traffic: JSONL, one line per completed
 * request, `{step, request, response}` or `{step, request, error}`. Lines are validated when
 * read (a cassette is input from disk); `requestDiff` explains how a request differs from the
 * recorded one.
 */
import { z } from "zod";
import { CassetteFormatError } from "./errors.ts";
import type { ChatRequest, ChatResponse } from "./types.ts";

const toolCall = z.object({ id: z.string(), name: z.string(), arguments: z.string() });
const message = z.union([
  z.object({ role: z.enum(["system", "user"]), content: z.string() }),
  z.object({
    role: z.literal("assistant"),
    content: z.string(),
    toolCalls: z.array(toolCall).optional(),
  }),
  z.object({ role: z.literal("tool"), toolCallId: z.string(), content: z.string() }),
]);
const request = z.looseObject({ messages: z.array(message), model: z.string() });
const response = z.object({
  message: z.object({ content: z.string(), toolCalls: z.array(toolCall) }),
  usage: z.object({
    promptTokens: z.number(),
    completionTokens: z.number(),
    source: z.enum(["api", "tokenizer"]),
  }),
  finishReason: z.enum(["stop", "length", "tool_calls", "content_filter", "other"]),
  model: z.string(),
  ms: z.number(),
  toolMode: z.enum(["native", "plain"]),
});
const failure = z.object({
  code: z.string(),
  message: z.string(),
  status: z.number().optional(),
  retryable: z.boolean().optional(),
});
const answered = z.object({ step: z.number().int().positive(), request, response });
const failed = z.object({ step: z.number().int().positive(), request, error: failure });

/** A recorded request; `model` is always filled in (the effective model). */
export type RecordedRequest = ChatRequest & { model: string };

/** How a failed request is recorded, so replay fails the same way. */
export type RecordedFailure = z.infer<typeof failure>;

/** One line of a cassette. */
export type CassetteEntry =
  | { step: number; request: RecordedRequest; response: ChatResponse }
  | { step: number; request: RecordedRequest; error: RecordedFailure };

/** Reads and validates a cassette; errors name the file and the line. */
export function readCassette(path: string): CassetteEntry[] {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    throw new CassetteFormatError(`Cannot read cassette "${path}": ${(e as Error).message}`);
  }
  const entries: CassetteEntry[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (e) {
      throw new CassetteFormatError(
        `Cassette "${path}" line ${i + 1} is not JSON: ${(e as Error).message}`,
      );
    }
    // Pick the schema by key, so an issue names the field instead of "no union member matched".
    const isFailure = !!parsed && typeof parsed === "object" && "error" in parsed;
    const result = (isFailure ? failed : answered).safeParse(parsed);
    if (!result.success) {
      const issue = result.error.issues[0];
      const where = issue?.path.map(String).join(".") || "(line)";
      throw new CassetteFormatError(
        `Cassette "${path}" line ${i + 1} is not a cassette entry: ${where}: ${issue?.message}`,
      );
    }
    entries.push(parsed as CassetteEntry);
  });
  return entries;
}

/** JSON with object keys sorted, so equal requests compare equal whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (!v || typeof v !== "object" || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

/** Up to `max` lines `path: recorded X but got Y` naming where two requests differ. */
export function requestDiff(recorded: unknown, actual: unknown, max = 3): string[] {
  const out: string[] = [];
  walk(JSON.parse(canonicalJson(recorded)), JSON.parse(canonicalJson(actual)), "", out, max);
  return out;
}

function walk(a: unknown, b: unknown, path: string, out: string[], max: number): void {
  if (out.length >= max || canonicalJson(a) === canonicalJson(b)) return;
  const objects = a && b && typeof a === "object" && typeof b === "object";
  if (objects && Array.isArray(a) === Array.isArray(b)) {
    if (Array.isArray(a) && Array.isArray(b) && a.length !== b.length) {
      out.push(`${path || "(request)"}: recorded ${a.length} items but got ${b.length}`);
    }
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const child = Array.isArray(a) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      walk(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        child,
        out,
        max,
      );
    }
    return;
  }
  out.push(`${path || "(request)"}: recorded ${short(a)} but got ${short(b)}`);
}

function short(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
