import assert from "node:assert/strict";
import { ConfigError } from "../errors.ts";
import { parseToolsConfig } from "./tools_config.ts";

Deno.test("tools config parses enable, params, timeout and approval per tool", () => {
  const config = parseToolsConfig(
    "tools:\n  word_count:\n    enabled: false\n    timeoutMs: 500\n    requiresApproval: true\n" +
      "    params: { lang: en }\n",
    "tools.yaml",
  );
  assert.deepEqual(config.tools.word_count, {
    enabled: false,
    timeoutMs: 500,
    requiresApproval: true,
    params: { lang: "en" },
  });
});

Deno.test("tools config rejects an unknown key, naming the key and the file", () => {
  assert.throws(
    () => parseToolsConfig("tools:\n  word_count:\n    timeout: 5\n", "conf/tools.yaml"),
    (e: unknown) =>
      e instanceof ConfigError && /conf\/tools\.yaml/.test(e.message) &&
      /unknown key "tools\.word_count\.timeout"/.test(e.message),
  );
  assert.throws(() => parseToolsConfig('{"tool": {}}', "t.json"), /unknown key "tool"/);
});

Deno.test("tools config reports a wrong type with its path", () => {
  assert.throws(
    () => parseToolsConfig("tools:\n  x:\n    timeoutMs: -3\n", "tools.yaml"),
    /tools\.x\.timeoutMs/,
  );
  assert.throws(() => parseToolsConfig("tools: [\n", "tools.yaml"), /Cannot parse tools config/);
});

Deno.test("an empty tools config file means no settings", () => {
  assert.deepEqual(parseToolsConfig("", "tools.yaml"), { tools: {} });
});
