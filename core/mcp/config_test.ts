/** The `mcpServers` block: the shapes other hosts write, errors naming server and key, `${VAR}`. */
import assert from "node:assert/strict";
import { loadConfig, maskedConfig } from "../config.ts";
import { ConfigError } from "../errors.ts";
import { loadMcpFile } from "./config.ts";
import { resolveMcpServers } from "./server_defs.ts";

async function yamlConfig(text: string) {
  const file = await Deno.makeTempFile({ suffix: ".yaml" });
  await Deno.writeTextFile(file, text);
  try {
    return loadConfig({ env: {}, file });
  } finally {
    await Deno.remove(file);
  }
}

Deno.test("a Claude Desktop mcpServers block pasted into agent.yaml loads", async () => {
  const c = await yamlConfig(`
mcpServers:
  filesystem:
    command: npx
    args: ["-y", "@modelcontextprotocol/server-filesystem", "/home/me/notes"]
  github:
    command: npx
    args: ["-y", "@modelcontextprotocol/server-github"]
    env: { GITHUB_PERSONAL_ACCESS_TOKEN: "ghp_literal_token_1" }
  remote:
    url: https://example.com/mcp
    headers: { Authorization: "Bearer \${REMOTE_TOKEN}" }
`);
  const defs = resolveMcpServers(c, { REMOTE_TOKEN: "tok-from-env" }, null);
  assert.deepEqual(defs.map((d) => [d.name, d.namespace, d.transport.kind, d.startup]), [
    ["filesystem", "filesystem", "stdio", "lazy"],
    ["github", "github", "stdio", "lazy"],
    ["remote", "remote", "http", "lazy"],
  ]);
  const remote = defs[2]!.transport;
  assert.ok(remote.kind === "http" && remote.headers.Authorization === "Bearer tok-from-env");
  assert.deepEqual(defs[1]!.secrets, ["ghp_literal_token_1"]);
  assert.deepEqual(defs[2]!.secrets, ["Bearer tok-from-env", "tok-from-env"]);
  // `cli config` shows the shape, never the tokens.
  const shown = JSON.stringify(maskedConfig(c));
  assert.ok(!shown.includes("ghp_literal_token_1"));
  assert.ok(shown.includes("@modelcontextprotocol/server-github"));
});

Deno.test("a misspelt key names the server and the key", async () => {
  await assert.rejects(
    () => yamlConfig(`mcpServers:\n  github:\n    comand: npx\n`),
    (e: Error) => e instanceof ConfigError && /mcpServers\.github\.comand/.test(e.message),
  );
  await assert.rejects(
    () => yamlConfig(`mcpServers:\n  github:\n    args: ["x"]\n`),
    (e: Error) => /mcpServers\.github.*needs "command" \(a stdio server\) or "url"/.test(e.message),
  );
  await assert.rejects(
    () => yamlConfig(`mcpServers:\n  web:\n    url: https://x/mcp\n    env: { A: "1" }\n`),
    (e: Error) => /mcpServers\.web\.env.*stdio servers only/.test(e.message),
  );
  await assert.rejects(
    () => yamlConfig(`mcpServers:\n  old:\n    type: sse\n    url: https://x/sse\n`),
    (e: Error) => /mcpServers\.old\.type.*SSE transport.*not supported/.test(e.message),
  );
});

Deno.test("an error in a server entry never prints its env values", async () => {
  const err = await yamlConfig(
    `mcpServers:\n  gh:\n    url: https://x\n    command: npx\n    env: { TOKEN: "ghp_do_not_print" }\n`,
  ).catch((e) => e as Error);
  assert.ok(err instanceof ConfigError);
  assert.ok(!err.message.includes("ghp_do_not_print"), err.message);
});

Deno.test("an unset ${VAR} is an error naming the server, key and variable", () => {
  const c = loadConfig({ env: {}, file: "/dev/null" });
  c.mcpServers = { gh: { command: "npx", env: { TOKEN: "${GH_TOKEN}" } } };
  assert.throws(
    () => resolveMcpServers(c, {}, null),
    /mcpServers\.gh\.env\.TOKEN \(from agent config\): \$\{GH_TOKEN\} is not set/,
  );
  c.mcpServers = { gh: { command: "npx", env: { TOKEN: "${env:GH_TOKEN}", MODE: "${M:-dev}" } } };
  const [def] = resolveMcpServers(c, { GH_TOKEN: "abcd-1234" }, null);
  assert.ok(def?.transport.kind === "stdio");
  assert.deepEqual(def.transport.env, { TOKEN: "abcd-1234", MODE: "dev" });
});

Deno.test("mcp.json in Claude Desktop's and VS Code's shapes, merged with agent.yaml", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(
    `${dir}/mcp.json`,
    JSON.stringify({
      servers: { "brave-search": { type: "stdio", command: "npx", args: ["-y", "x"] } },
    }),
  );
  const c = loadConfig({ env: {}, file: "/dev/null" });
  c.mcpServers = { memory: { command: "npx", startup: "eager" } };
  const defs = resolveMcpServers(c, {}, `${dir}/mcp.json`);
  assert.deepEqual(defs.map((d) => [d.name, d.namespace, d.startup, d.origin]), [
    ["memory", "memory", "eager", "agent config"],
    ["brave-search", "brave_search", "lazy", `${dir}/mcp.json`],
  ]);
  c.mcpServers = { "brave-search": { command: "npx" } };
  assert.throws(() => resolveMcpServers(c, {}, `${dir}/mcp.json`), /configured both/);
  c.mcpServers = { brave_search: { command: "npx" } };
  assert.throws(() => resolveMcpServers(c, {}, `${dir}/mcp.json`), /both name their tools/);
  await Deno.writeTextFile(`${dir}/bad.json`, JSON.stringify({ mcpServers: { x: { cmd: "a" } } }));
  assert.throws(
    () => loadMcpFile(`${dir}/bad.json`),
    /bad\.json.*mcpServers\.x: unknown key "cmd"/s,
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a disabled server is left out", () => {
  const c = loadConfig({ env: {}, file: "/dev/null" });
  c.mcpServers = { a: { command: "npx", disabled: true }, b: { url: "http://127.0.0.1:1/mcp" } };
  assert.deepEqual(resolveMcpServers(c, {}, null).map((d) => d.name), ["b"]);
});
