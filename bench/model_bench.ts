/**
 * The model gateway benchmark, against the scripted server on loopback (no model involved):
 * the gateway's own overhead per request (JSON and streamed), replay speed, tokenizer load and
 * counting speed. Bounded (a few hundred requests); prints medians and p95 as JSON.
 * Run: deno run --no-prompt --allow-net --allow-read --allow-write --allow-env bench/model_bench.ts
 */
import { countTokens, loadTokenizer } from "../core/model/tokens.ts";
import { OpenAIModelClient } from "../core/model/openai_client.ts";
import { RecordingModelClient } from "../core/model/recording_client.ts";
import { ReplayModelClient } from "../core/model/replay_client.ts";
import type { ChatRequest } from "../core/model/types.ts";
import { startScriptedModelServer } from "../core/testing/scripted_model_server.ts";

/** Median and p95 of a list of milliseconds, rounded to µs. */
function stats(ms: number[]): { median: number; p95: number; n: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))]! * 1000) / 1000;
  return { median: at(0.5), p95: at(0.95), n: s.length };
}

async function time(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out;
}

/** Runs every figure and returns them. */
export async function runModelBench(requests = 300): Promise<Record<string, unknown>> {
  const tokenizerStart = performance.now();
  await loadTokenizer();
  const tokenizerLoadMs = Math.round(performance.now() - tokenizerStart);
  const reply = "The answer is 42. ".repeat(20);
  await using server = startScriptedModelServer({
    script: () => ({
      content: reply,
      toolCalls: [{ name: "execute_code", arguments: { code: "6 * 7" } }],
    }),
  });
  const client = new OpenAIModelClient({ baseUrl: server.url, apiKey: "k", model: "bench" });
  const request: ChatRequest = {
    messages: [{ role: "system", content: "You are a benchmark." }, {
      role: "user",
      content: "6 * 7?",
    }],
    tools: [{
      name: "execute_code",
      parameters: { type: "object", properties: { code: { type: "string" } } },
    }],
  };
  await time(20, () => client.chat(request)); // warm-up
  const json = await time(requests, () => client.chat(request));
  const firstDelta: number[] = [];
  const streamed = await time(requests, async () => {
    const t = performance.now();
    let first = true;
    await client.chat(request, {
      onDelta: () => {
        if (first) firstDelta.push(performance.now() - t);
        first = false;
      },
    });
  });
  const dir = await Deno.makeTempDir();
  const recorder = new RecordingModelClient(client, `${dir}/bench.jsonl`);
  const recorded = await time(requests, (i) => recorder.chat({ ...request, temperature: i }));
  const replay = new ReplayModelClient(`${dir}/bench.jsonl`);
  const replayed = await time(requests, (i) => replay.chat({ ...request, temperature: i }));
  await Deno.remove(dir, { recursive: true });
  const prompt = Array.from(
    { length: 200 },
    (_, i) => ({ role: "user" as const, content: `message ${i} `.repeat(20) }),
  );
  const promptTokens = await countTokens(prompt);
  const counting = await time(50, () => countTokens(prompt));
  return {
    tokenizer_load_ms: tokenizerLoadMs,
    chat_json_ms: stats(json),
    chat_stream_total_ms: stats(streamed),
    chat_stream_first_delta_ms: stats(firstDelta),
    chat_recorded_ms: stats(recorded),
    chat_replayed_ms: stats(replayed),
    count_tokens_prompt: { tokens: promptTokens, ...stats(counting) },
  };
}

if (import.meta.main) console.log(JSON.stringify(await runModelBench(), null, 2));
