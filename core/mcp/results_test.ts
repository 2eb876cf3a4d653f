/** Result mapping over the shapes the MCP spec (2025-06-18) defines for `tools/call`. */
import assert from "node:assert/strict";
import { ToolCallError } from "../tools/call_tool.ts";
import { resultValue } from "./results.ts";

const PNG = "iVBORw0KGgo="; // the 8-byte PNG signature

Deno.test("structuredContent is the value; its text twin is ignored", async () => {
  const v = await resultValue({
    content: [{ type: "text", text: '{"t":1}' }],
    structuredContent: { t: 1 },
  }, { namespace: "s" });
  assert.deepEqual(v, { t: 1 });
});

Deno.test("one text block is a string, several blocks an array with handles", async () => {
  assert.equal(
    await resultValue({ content: [{ type: "text", text: "hi" }] }, { namespace: "s" }),
    "hi",
  );
  const dir = await Deno.makeTempDir();
  const v = await resultValue({
    content: [
      { type: "text", text: "here:" },
      { type: "image", data: PNG, mimeType: "image/png" },
      { type: "resource", resource: { uri: "demo://t/1", mimeType: "text/plain", text: "body" } },
      { type: "resource", resource: { uri: "demo://b/1", mimeType: "application/zip", blob: PNG } },
      { type: "resource_link", uri: "demo://x", name: "X" },
    ],
  }, { namespace: "s", workspaceDir: dir }) as Record<string, unknown>[];
  assert.equal(v[0], "here:");
  assert.deepEqual({ ...v[1], path: undefined }, {
    type: "image",
    mimeType: "image/png",
    bytes: 8,
    path: undefined,
  });
  assert.match(String(v[1]!.path), /^mcp\/s\/.+\.png$/);
  assert.deepEqual(
    await Deno.readFile(`${dir}/${v[1]!.path}`),
    Uint8Array.from(atob(PNG), (c) => c.charCodeAt(0)),
  );
  assert.deepEqual(v[2], {
    type: "resource",
    uri: "demo://t/1",
    mimeType: "text/plain",
    text: "body",
  });
  assert.equal(v[3]!.uri, "demo://b/1");
  assert.match(String(v[3]!.path), /\.zip$/);
  assert.deepEqual(v[4], { type: "resource_link", uri: "demo://x", name: "X" });
  await Deno.remove(dir, { recursive: true });
});

Deno.test("without a workspace a binary block keeps its base64 data", async () => {
  const v = await resultValue({
    content: [{ type: "text", text: "a" }, { type: "audio", data: PNG, mimeType: "audio/wav" }],
  }, { namespace: "s" }) as Record<string, unknown>[];
  assert.deepEqual(v[1], { type: "audio", mimeType: "audio/wav", bytes: 8, data: PNG });
});

Deno.test("isError becomes a tool error carrying the server's text", async () => {
  await assert.rejects(
    () =>
      resultValue({ content: [{ type: "text", text: "no such file" }], isError: true }, {
        namespace: "s",
      }),
    (e: Error) => e instanceof ToolCallError && e.code === "failed" && e.message === "no such file",
  );
});
