/** Tests of the evolution tools through the real registry's call route. */
import assert from "node:assert/strict";
import { openRegistry } from "../tools/mod.ts";
import { memoryLogger } from "../log.ts";
import { EvolutionService } from "./evolution_service.ts";
import { OpenAIModelClient } from "../model/mod.ts";

const TOOLS_DIR = new URL("../../tools", import.meta.url).pathname;
const cell = (city: string) =>
  `let rows = weather.filter((r) => r.city === "${city}");\nlet m = rows.map((r) => r.max);\nm.reduce((a, b) => a + b, 0) / m.length`;

function service(): EvolutionService {
  return new EvolutionService({
    model: new OpenAIModelClient({ baseUrl: "http://127.0.0.1:1/v1", apiKey: "k", model: "m" }),
    approval: "manual",
    maxRefinements: 1,
    learnedDir: "/tmp/learned_never_used",
    dataDir: "/tmp/data_never_used",
    sessionsDir: "/tmp/sessions_never_used",
    workspaceDir: "/tmp",
    sessionId: "s",
    kernel: () => undefined,
    conversation: () => [],
  });
}

Deno.test("analyze_history runs through the registry on the session's recorded cells", async () => {
  const registry = await openRegistry({ dir: TOOLS_DIR, log: memoryLogger().logger });
  const evolution = service();
  for (const c of ["Paris", "Oslo", "Lima"]) {
    evolution.record({ kind: "cell", code: cell(c), ok: true, ms: 2 });
  }
  const r = await registry.call("analyze_history", {}, { services: { evolution } });
  assert.equal(r.ok, true, JSON.stringify(r));
  const [s] = r.ok ? r.value as { occurrences: number; records: number[] }[] : [];
  assert.equal(s?.occurrences, 3);
  assert.equal(evolution.history[0]?.session, "s");
});

Deno.test("evolution tools say plainly when the host has no evolution service", async () => {
  const registry = await openRegistry({ dir: TOOLS_DIR, log: memoryLogger().logger });
  const r = await registry.call("analyze_history", {}, { services: {} });
  assert.equal(r.ok, false);
  assert.match(r.ok ? "" : r.error.message, /evolution service is not available/);
});

Deno.test("review and test tools refuse paths outside learned_skills", async () => {
  const registry = await openRegistry({ dir: TOOLS_DIR, log: memoryLogger().logger });
  const services = { evolution: service() };
  for (const filepath of ["/etc/passwd", "../core/config.ts", "functions/../../x.ts"]) {
    const r = await registry.call("review_generated_code", { filepath }, { services });
    assert.equal(r.ok, false, filepath);
    assert.match(r.ok ? "" : r.error.message, /must be relative and inside learned_skills/);
  }
});

Deno.test("save_session_state without a kernel reports the failure in the log, not a hang", async () => {
  const { logger, records } = memoryLogger();
  const evolution = new EvolutionService({ ...service().deps, log: logger });
  evolution.queueSave("x");
  await evolution.settled();
  assert.ok(records.some((r) => r.event === "evolution.background_failed"));
});
