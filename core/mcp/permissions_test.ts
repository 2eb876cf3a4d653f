import assert from "node:assert/strict";
import { loadConfig } from "../config.ts";
import { mcpSupervisorNeeds } from "./permissions.ts";

Deno.test("the supervisor's grants grow only by the configured servers' commands and hosts", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(
    `${dir}/mcp.json`,
    JSON.stringify({ mcpServers: { fs: { command: "node", args: ["server.js", "${ROOT}"] } } }),
  );
  const c = loadConfig({ env: {}, file: "/dev/null" });
  c.mcpServers = {
    gh: { command: "npx", args: ["-y", "x"], env: { TOKEN: "${GH_TOKEN}" } },
    web: { url: "https://mcp.example.com/mcp", headers: { A: "Bearer ${WEB_TOKEN}" } },
    local: { url: "http://127.0.0.1:3001/mcp" },
    off: { command: "python3", disabled: true },
  };
  const needs = mcpSupervisorNeeds(c, dir, ["repl"]);
  assert.deepEqual(needs.run.sort(), ["node", "npx"]);
  assert.deepEqual(needs.net.sort(), ["127.0.0.1:3001", "mcp.example.com:443"]);
  for (const v of ["GH_TOKEN", "WEB_TOKEN", "ROOT", "PATH", "HOME"]) {
    assert.ok(needs.env.includes(v), v);
  }
  assert.deepEqual(needs.read, [`${dir}/mcp.json`]);
  const serve = mcpSupervisorNeeds(c, dir, ["mcp", "serve", "--http", "--port", "9000"]);
  assert.ok(serve.net.includes("127.0.0.1:9000"));
  await Deno.remove(dir, { recursive: true });
});
