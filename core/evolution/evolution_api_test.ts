/** Tests of the suggestions endpoint. */
import assert from "node:assert/strict";
import { savedSessionSuggestionsHandler, suggestionsHandler } from "./evolution_api.ts";
import { writeSessionFile } from "../sessions/session_file.ts";
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
    dataDir: "/tmp/x",
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

Deno.test("the daemon's /api/suggestions reads the newest saved session's history", async () => {
  const dir = await Deno.makeTempDir();
  const history = ["cats", "dogs", "birds"].map((q) => ({
    kind: "cell" as const,
    code: cell(q),
    ok: true,
    ms: 1,
  }));
  const file = (name: string, h: typeof history) => ({
    version: 1 as const,
    name,
    savedAt: new Date().toISOString(),
    conversation: [],
    history: h,
    cells: [],
    definitions: [],
    variables: [],
    learned: [],
  });
  await writeSessionFile(`${dir}/old`, file("old", []));
  await new Promise((r) => setTimeout(r, 20));
  await writeSessionFile(`${dir}/new`, file("new", history));
  const handle = savedSessionSuggestionsHandler(dir);
  const res = await handle(new Request("http://x/api/suggestions"))!;
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.session, "new");
  assert.equal(body.records, 3);
  assert.equal(body.suggestions[0].occurrences, 3);
  const old = await (await handle(new Request("http://x/api/suggestions?session=old"))!).json();
  assert.deepEqual(old.suggestions, []);
  assert.equal((await handle(new Request("http://x/api/suggestions?session=../etc"))!).status, 400);
  assert.equal((await handle(new Request("http://x/api/suggestions?session=none"))!).status, 404);
  const empty = savedSessionSuggestionsHandler(`${dir}/missing`);
  assert.equal((await empty(new Request("http://x/api/suggestions"))!).status, 404);
  await Deno.remove(dir, { recursive: true });
});
