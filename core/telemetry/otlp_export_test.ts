/**
 * Traces and log records through Deno's built-in exporter (issue 20.1): `deno task start` with
 * OTEL_DENO=true sends to an OTLP/HTTP receiver started here; one decision cycle becomes one trace
 * (an `invoke_agent` root, `gather_context`, `chat` with gen_ai.* attributes, `execute_tool`), log
 * lines become log records carrying the span's ids and stay JSON lines on stderr, and prompts are
 * recorded only when content capture is switched on.
 */
import assert from "node:assert/strict";
import { startScriptedModelServer } from "../testing/scripted_model_server.ts";
import { cleanEnv } from "../testing/deno_child.ts";

type AnyValue = { stringValue?: string; intValue?: string; doubleValue?: number };
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  attributes: { key: string; value: AnyValue & { arrayValue?: { values: AnyValue[] } } }[];
}
interface OtlpLog {
  traceId: string;
  spanId: string;
  severityText: string;
  body: { stringValue: string };
}

/** An OTLP/HTTP JSON receiver on 127.0.0.1. */
function startReceiver() {
  const spans: OtlpSpan[] = [];
  const logs: OtlpLog[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const body = await req.json();
    const path = new URL(req.url).pathname;
    if (path === "/v1/traces") {
      for (const r of body.resourceSpans ?? []) {
        for (const s of r.scopeSpans ?? []) spans.push(...(s.spans ?? []));
      }
    } else if (path === "/v1/logs") {
      for (const r of body.resourceLogs ?? []) {
        for (const s of r.scopeLogs ?? []) logs.push(...(s.logRecords ?? []));
      }
    }
    return Response.json({});
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    spans,
    logs,
    close: () => server.shutdown(),
  };
}

function attr(span: OtlpSpan, key: string): unknown {
  const v = span.attributes.find((a) => a.key === key)?.value;
  if (!v) return undefined;
  if (v.arrayValue) return v.arrayValue.values.map((x) => x.stringValue);
  return v.stringValue ?? (v.intValue === undefined ? v.doubleValue : Number(v.intValue));
}

async function runCycle(capture: boolean) {
  const receiver = startReceiver();
  await using model = startScriptedModelServer({
    script: (req) => {
      const last = (req.body?.messages as { role: string }[]).at(-1)!;
      return last.role === "tool" ? { content: "noted", usage: false } : {
        toolCalls: [{ name: "update_context", arguments: { text: "chat likes cats" } }],
        usage: { promptTokens: 321, completionTokens: 12 },
      };
    },
  });
  const dataDir = await Deno.makeTempDir({ prefix: "otlp_" });
  const root = new URL("../..", import.meta.url).pathname;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["task", "--quiet", "start"],
    cwd: root,
    clearEnv: true,
    env: cleanEnv({
      PORT: "0",
      DATA_DIR: dataDir,
      STANDALONE_MODE: "true",
      AUTONOMOUS_LOOP_INTERVAL: "3600000",
      OPENAI_BASE_URL: model.url,
      OPENAI_API_KEY: "sk-test-otlp-key",
      MODEL_NAME: "scripted-model",
      OTEL_DENO: "true",
      OTEL_SERVICE_NAME: "autoliza-test",
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_BSP_SCHEDULE_DELAY: "100",
      OTEL_BLRP_SCHEDULE_DELAY: "100",
      ...(capture ? { OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: "true" } : {}),
    }),
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let stderr = "";
  while (!stderr.includes('"event":"cycle_finished"')) {
    const { value, done } = await reader.read();
    if (done) break;
    stderr += value;
  }
  child.kill("SIGTERM");
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    stderr += value;
  }
  const status = await child.status;
  const stdout = await new Response(child.stdout).text();
  await receiver.close();
  await Deno.remove(dataDir, { recursive: true });
  return { ...receiver, stderr, stdout, code: status.code };
}

Deno.test("a decision cycle exports one trace with GenAI spans and correlated log records", async () => {
  const r = await runCycle(false);
  assert.equal(r.code, 0, r.stderr);
  const cycle = r.spans.find((s) => s.name === "invoke_agent Autoliza");
  assert.ok(cycle, `spans: ${r.spans.map((s) => s.name).join(", ")}`);
  assert.equal(cycle.parentSpanId, "", "a cycle starts its own trace");
  assert.equal(attr(cycle, "gen_ai.operation.name"), "invoke_agent");
  const inCycle = r.spans.filter((s) => s.traceId === cycle.traceId);
  const byName = (n: string) => inCycle.find((s) => s.name === n);
  const context = byName("gather_context");
  const chat = inCycle.find((s) => s.name.startsWith("chat "));
  const tool = byName("execute_tool update_context");
  assert.ok(context && chat && tool, inCycle.map((s) => s.name).join(", "));
  assert.equal(context.parentSpanId, cycle.spanId);
  const sources = inCycle.filter((s) => s.parentSpanId === context.spanId).map((s) => s.name);
  assert.ok(
    sources.includes("context facts") && sources.includes("context memories"),
    `${sources}`,
  );
  assert.equal(attr(chat, "gen_ai.system"), "openai");
  assert.equal(attr(chat, "gen_ai.request.model"), "scripted-model");
  assert.equal(attr(chat, "gen_ai.response.model"), "scripted-model");
  assert.equal(attr(chat, "gen_ai.usage.input_tokens"), 321);
  assert.equal(attr(chat, "gen_ai.usage.output_tokens"), 12);
  assert.deepEqual(attr(chat, "gen_ai.response.finish_reasons"), ["tool_calls"]);
  assert.equal(attr(chat, "gen_ai.input.messages"), undefined, "no content without opt-in");
  assert.equal(attr(tool, "gen_ai.tool.name"), "update_context");
  assert.equal(attr(tool, "autoliza.tool.outcome"), "success");
  assert.equal(typeof attr(tool, "autoliza.tool.ms"), "number");
  // Deno's own fetch span of the model request sits under the chat span.
  const fetchSpan = inCycle.find((s) => s.parentSpanId === chat.spanId);
  assert.ok(fetchSpan, "the model request's fetch span is a child of the chat span");

  const toolLog = r.logs.find((l) => l.body.stringValue.includes('"event":"tool_call"'));
  assert.ok(toolLog, `${r.logs.length} log records`);
  assert.equal(toolLog.traceId, cycle.traceId);
  assert.equal(toolLog.spanId, tool.spanId, "the record carries the span that wrote it");
  assert.equal(toolLog.severityText, "INFO");
  // Still JSON lines on stderr, each once, and nothing on stdout.
  const lines = r.stderr.split("\n").filter((l) => l.includes('"event":"tool_call"'));
  assert.equal(lines.length, 1);
  JSON.parse(lines[0]!);
  assert.equal(r.stdout, "");
  assert.doesNotMatch(JSON.stringify(r.spans) + JSON.stringify(r.logs), /sk-test-otlp-key/);
});

Deno.test("prompts and completions are recorded only with content capture on", async () => {
  const r = await runCycle(true);
  assert.equal(r.code, 0, r.stderr);
  const chat = r.spans.find((s) => s.name.startsWith("chat "));
  assert.ok(chat);
  assert.match(String(attr(chat, "gen_ai.input.messages")), /"role":"system"/);
  assert.match(String(attr(chat, "gen_ai.output.messages")), /update_context/);
  const tool = r.spans.find((s) => s.name === "execute_tool update_context")!;
  assert.match(String(attr(tool, "gen_ai.tool.call.arguments")), /chat likes cats/);
});
