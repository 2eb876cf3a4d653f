/** Tests of recording cells and tool calls from orchestrator events. */
import assert from "node:assert/strict";
import { EvolutionService } from "./evolution_service.ts";
import { recordingCallTool, recordingSink } from "./history_recorder.ts";
import { OpenAIModelClient } from "../model/mod.ts";
import type { CellResult } from "../agent/kernel_port.ts";

function service(): EvolutionService {
  return new EvolutionService({
    model: new OpenAIModelClient({ baseUrl: "http://127.0.0.1:1/v1", apiKey: "k", model: "m" }),
    approval: "manual",
    maxRefinements: 0,
    learnedDir: "/tmp/x",
    dataDir: "/tmp/x",
    sessionsDir: "/tmp/x",
    workspaceDir: "/tmp",
    sessionId: "s",
    kernel: () => undefined,
    conversation: () => [],
  });
}

const result = (ok: boolean): CellResult => ({
  ok,
  display: "",
  stdout: "",
  stderr: "",
  error: ok ? null : { name: "Error", message: "x", line: 1 },
  ms: 7,
});

Deno.test("the sink records each cell with its outcome and the tokens of the step", () => {
  const s = service();
  const seen: string[] = [];
  const sink = recordingSink(s, { next: (e) => seen.push(e.type) });
  sink({
    type: "model_reply",
    step: 1,
    content: "",
    promptTokens: 100,
    completionTokens: 42,
    ms: 1,
  });
  sink({ type: "code", step: 1, code: "1 + 1" });
  sink({ type: "cell_result", step: 1, result: result(true), observation: "" });
  sink({ type: "code", step: 2, code: "boom()" });
  sink({ type: "cell_result", step: 2, result: result(false), observation: "" });
  assert.deepEqual(s.history.map((h) => [h.code, h.ok, h.ms, h.tokens]), [
    ["1 + 1", true, 7, 42],
    ["boom()", false, 7, undefined],
  ]);
  assert.deepEqual(seen, ["model_reply", "code", "cell_result", "code", "cell_result"]);
});

Deno.test("wrapped callTool records tool calls as name(args) with their outcome", async () => {
  const s = service();
  const call = recordingCallTool(
    s,
    (name) =>
      Promise.resolve(
        name === "ok" ? { ok: true, value: 1 } : { ok: false, error: { code: "x", message: "no" } },
      ),
  );
  await call("ok", { a: 1 });
  await call("bad", {});
  assert.deepEqual(s.history.map((h) => [h.kind, h.code, h.ok]), [
    ["tool", 'ok({"a":1})', true],
    ["tool", "bad({})", false],
  ]);
});
