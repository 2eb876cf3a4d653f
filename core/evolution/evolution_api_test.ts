/** Tests of the suggestions endpoint. */
import assert from "node:assert/strict";
import { suggestionsHandler } from "./evolution_api.ts";
import { EvolutionService } from "./evolution_service.ts";
import { OpenAIModelClient } from "../model/mod.ts";

const cell = (q: string) =>
  `const hits = await tools.memory_search({ query: "${q}", limit: 5 });\nhits.results.map((h) => h.text).join("\\n")`;

function service(): EvolutionService {
  const s = new EvolutionService({
    model: new OpenAIModelClient({ baseUrl: "http://127.0.0.1:1/v1", apiKey: "k", model: "m" }),
    approval: "manual",
    maxRefinements: 0,
    learnedDir: "/tmp/x",
    sessionsDir: "/tmp/x",
    workspaceDir: "/tmp",
    sessionId: "s",
    kernel: () => undefined,
    conversation: () => [],
  });
  for (const q of ["cats", "dogs"]) s.record({ kind: "cell", code: cell(q), ok: true, ms: 1 });
  return s;
}

Deno.test("GET /api/suggestions returns the current suggestions", async () => {
  const handle = suggestionsHandler(service);
  const res = await handle(new Request("http://x/api/suggestions?min=2"))!;
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.records, 2);
  assert.equal(body.suggestions[0].name, "memory_search");
});

Deno.test("the suggestions handler ignores other paths and rejects bad input", async () => {
  const handle = suggestionsHandler(service);
  assert.equal(handle(new Request("http://x/api/status")), undefined);
  assert.equal((await handle(new Request("http://x/api/suggestions?min=1"))!).status, 400);
  assert.equal(
    (await handle(new Request("http://x/api/suggestions", { method: "POST" }))!).status,
    405,
  );
  assert.equal(
    (await suggestionsHandler(() => undefined)(new Request("http://x/api/suggestions"))!).status,
    503,
  );
});
