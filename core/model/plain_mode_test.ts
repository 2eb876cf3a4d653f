/** Behaviour of the plain (no tool calling) request rewrite and its detection. */
import assert from "node:assert/strict";
import { isToolsUnsupported, toPlainRequest } from "./plain_mode.ts";
import type { ChatRequest } from "./types.ts";

Deno.test("plain mode turns tool calls into fenced code and tool results into user messages", () => {
  const request: ChatRequest = {
    messages: [
      { role: "system", content: "You are Autoliza." },
      { role: "user", content: "6 * 7?" },
      {
        role: "assistant",
        content: "",
        toolCalls: [{ id: "c1", name: "execute_code", arguments: '{"code":"6 * 7"}' }],
      },
      { role: "tool", toolCallId: "c1", content: "42" },
    ],
    tools: [{
      name: "execute_code",
      description: "Run code",
      parameters: { properties: { code: {} } },
    }],
    toolChoice: "auto",
    temperature: 0,
  };
  const plain = toPlainRequest(request);
  assert.equal(plain.tools, undefined);
  assert.equal(plain.toolChoice, undefined);
  assert.equal(plain.temperature, 0);
  assert.match(plain.messages[0]!.content, /^You are Autoliza\.\n\nTool calling is not available/);
  assert.match(plain.messages[0]!.content, /- execute_code: Run code/);
  assert.deepEqual(plain.messages[2], { role: "assistant", content: "```ts\n6 * 7\n```" });
  assert.deepEqual(plain.messages[3], { role: "user", content: "Output:\n42" });
});

Deno.test("plain mode adds a system message when the request has none", () => {
  const plain = toPlainRequest({
    messages: [{ role: "user", content: "hi" }],
    tools: [{ name: "search_tools" }],
  });
  assert.equal(plain.messages[0]?.role, "system");
  assert.equal(plain.messages.length, 2);
});

Deno.test("tool rejections of Ollama, vLLM and llama.cpp are recognised; other 400s are not", () => {
  assert.ok(isToolsUnsupported(400, "registry.ollama.ai/library/gemma:2b does not support tools"));
  assert.ok(
    isToolsUnsupported(
      400,
      '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser',
    ),
  );
  assert.ok(isToolsUnsupported(400, "tools param requires --jinja flag"));
  assert.ok(!isToolsUnsupported(400, "messages[0].content is invalid"));
  assert.ok(!isToolsUnsupported(500, "tools are not supported"));
});
