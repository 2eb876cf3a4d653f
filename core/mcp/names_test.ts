import assert from "node:assert/strict";
import { namespaceOf, toolNames } from "./names.ts";

Deno.test("MCP tool names become <server>.<identifier>, clashes numbered in list order", () => {
  assert.equal(namespaceOf("brave-search"), "brave_search");
  assert.equal(namespaceOf("1password"), "_1password");
  const names = toolNames("gh", ["create-issue", "create_issue", "files/read", "list", "list"]);
  assert.deepEqual([...names], [
    ["create-issue", "gh.create_issue"],
    ["create_issue", "gh.create_issue_2"],
    ["files/read", "gh.files_read"],
    ["list", "gh.list"],
  ]);
});
