/**
 * Attacks on the daemon's HTTP API bound to loopback (issue 14.3): DNS rebinding, a cross-origin
 * `text/plain` POST, state changes by GET, 50 parallel paid cycles, session code over the network.
 * Each performs the attack on a real daemon and asserts that it fails.
 */
import assert from "node:assert/strict";
import { loadConfig } from "../config.ts";
import { startDaemon } from "../daemon.ts";
import { memoryLogger } from "../log.ts";
import { startScriptedModelServer } from "../testing/scripted_model_server.ts";
import { rawRequest } from "../testing/raw_http.ts";
import { writeSessionFile } from "../sessions/session_file.ts";

async function withDaemon(
  env: Record<string, string>,
  body: (addr: { hostname: string; port: number }, dataDir: string) => Promise<void>,
): Promise<void> {
  await using model = startScriptedModelServer({
    script: () => ({ content: "nothing to do", delayMs: 200 }),
  });
  const dataDir = await Deno.makeTempDir({ prefix: "api_attack_" });
  const config = loadConfig({
    env: {
      PORT: "0",
      DATA_DIR: dataDir,
      OPENAI_BASE_URL: model.url,
      OPENAI_API_KEY: "k",
      STANDALONE_MODE: "true",
      AUTONOMOUS_LOOP_INTERVAL: "3600000",
      ...env,
    },
    file: "/dev/null",
  });
  config.paths.sessions = `${dataDir}/sessions`;
  const daemon = startDaemon(config, memoryLogger().logger);
  try {
    await daemon.ready;
    await body({ hostname: "127.0.0.1", port: daemon.port }, dataDir);
  } finally {
    await daemon.shutdown("test");
    await Deno.remove(dataDir, { recursive: true });
  }
}

Deno.test("the API binds loopback by default", () => {
  assert.equal(loadConfig({ env: {}, file: "/dev/null" }).http.hostname, "127.0.0.1");
});

Deno.test("a DNS-rebound page cannot read or change the API (Host check)", async () => {
  await withDaemon({}, async (addr) => {
    const evil = { host: `rebind.evil.example:${addr.port}` };
    const status = await rawRequest(addr, "GET", "/api/status", evil);
    assert.equal(status.status, 403);
    assert.match(JSON.parse(status.body).error, /Host "rebind\.evil\.example:\d+" is not one/);
    assert.doesNotMatch(status.body, /uptimeSeconds/);
    const off = await rawRequest(addr, "POST", "/scb/control?action=deactivate", evil);
    assert.equal(off.status, 403);
    // Probes stay open whatever the Host; loopback names and IP literals are served.
    assert.equal((await rawRequest(addr, "GET", "/health", evil)).status, 200);
    for (const host of [`localhost:${addr.port}`, `127.0.0.1:${addr.port}`]) {
      assert.equal((await rawRequest(addr, "GET", "/api/status", { host })).status, 200);
    }
  });
});

Deno.test("a cross-origin text/plain POST does not run a cycle (Origin check)", async () => {
  await withDaemon({}, async (addr) => {
    const before = JSON.parse((await rawRequest(addr, "GET", "/api/cycles")).body).cycles.length;
    const res = await rawRequest(addr, "POST", "/api/cycle", {
      origin: "http://evil.example",
      "content-type": "text/plain",
      "sec-fetch-site": "cross-site",
    }, "run");
    assert.equal(res.status, 403);
    assert.match(JSON.parse(res.body).error, /cross-origin POST from http:\/\/evil\.example/);
    const opaque = await rawRequest(addr, "POST", "/vtuber/control?action=deactivate", {
      origin: "null",
    });
    assert.equal(opaque.status, 403);
    const after = JSON.parse((await rawRequest(addr, "GET", "/api/cycles")).body).cycles.length;
    assert.equal(after, before);
    const same = await rawRequest(addr, "POST", "/scb/control?action=status", {
      origin: `http://127.0.0.1:${addr.port}`,
    });
    assert.equal(same.status, 200);
  });
});

Deno.test("control actions are POST-only; GET still reads the status", async () => {
  await withDaemon({}, async (addr) => {
    for (const service of ["vtuber", "scb"]) {
      const byGet = await rawRequest(addr, "GET", `/${service}/control?action=deactivate`);
      assert.equal(byGet.status, 405);
      assert.equal(byGet.headers.get("allow"), "POST");
      const status = await rawRequest(addr, "GET", `/${service}/control`);
      assert.equal(status.status, 200);
      assert.equal(typeof JSON.parse(status.body).active, "boolean");
    }
  });
});

Deno.test("50 parallel POST /api/cycle queue one manual cycle; the rest get 429", async () => {
  await withDaemon({}, async (addr) => {
    const base = `http://${addr.hostname}:${addr.port}`;
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => fetch(`${base}/api/cycle`, { method: "POST" })),
    );
    const statuses = answers.map((r) => r.status);
    await Promise.all(answers.map((r) => r.body?.cancel()));
    assert.equal(statuses.filter((s) => s === 200).length, 1, statuses.join(","));
    assert.equal(statuses.filter((s) => s === 429).length, 49);
    const cycles = await (await fetch(`${base}/api/cycles?limit=200`)).json();
    // The loop's own first cycle plus the one manual cycle.
    assert.ok(cycles.cycles.length <= 2, `${cycles.cycles.length} cycles ran`);
    const again = await fetch(`${base}/api/cycle`, { method: "POST" });
    assert.equal(again.status, 200, "a new manual cycle is accepted once the last one finished");
    await again.body?.cancel();
  });
});

Deno.test("/api/suggestions never serves the literals typed into a saved session", async () => {
  await withDaemon({}, async (addr, dataDir) => {
    const cell = (key: string, q: string) =>
      `const key = "${key}"; // password hunter2-${q}\n` +
      `const hits = await tools.memory_search({ query: "${q}", limit: 5, key });\n` +
      "hits.results.map((h) => h.text).join(`\\n`)";
    const history = [["sk-proj-AAAA1111", "cats"], ["sk-proj-BBBB2222", "dogs"]].map((
      [k, q],
    ) => ({ kind: "cell" as const, code: cell(k!, q!), ok: true, ms: 1 }));
    await writeSessionFile(`${dataDir}/sessions/leaky`, {
      version: 1,
      name: "leaky",
      savedAt: new Date().toISOString(),
      conversation: [],
      history,
      cells: [],
      definitions: [],
      variables: [],
      learned: [],
    });
    const res = await rawRequest(addr, "GET", "/api/suggestions?session=leaky");
    assert.equal(res.status, 200, res.body);
    assert.doesNotMatch(res.body, /sk-proj|AAAA1111|BBBB2222|hunter2|cats|dogs/);
    const body = JSON.parse(res.body);
    assert.equal(body.suggestions[0].name, "memory_search");
    assert.match(body.suggestions[0].example, /tools\.memory_search\(\{ query: "…"/);
  });
});

Deno.test("with API_TOKEN set, everything but the probes needs the bearer token", async () => {
  const token = "tok-0123456789abcdef";
  await withDaemon({ API_TOKEN: token }, async (addr) => {
    for (const path of ["/api/status", "/metrics", "/api/cycles", "/api/suggestions"]) {
      const res = await rawRequest(addr, "GET", path);
      assert.equal(res.status, 401, path);
      assert.equal(res.headers.get("www-authenticate"), 'Bearer realm="autoliza"');
    }
    const wrong = await rawRequest(addr, "POST", "/vtuber/control?action=deactivate", {
      authorization: "Bearer tok-0123456789abcdeX",
    });
    assert.equal(wrong.status, 401);
    assert.match(JSON.parse(wrong.body).error, /wrong API token/);
    for (const path of ["/health", "/api/health"]) {
      assert.equal((await rawRequest(addr, "GET", path)).status, 200);
    }
    const ok = await rawRequest(addr, "GET", "/api/status", { authorization: `Bearer ${token}` });
    assert.equal(ok.status, 200);
    assert.doesNotMatch(ok.body, new RegExp(token));
    // The token also lifts the Host check: a rebinding page cannot know it.
    const named = await rawRequest(addr, "GET", "/api/status", {
      host: "agent.internal:3000",
      authorization: `Bearer ${token}`,
    });
    assert.equal(named.status, 200);
  });
});
