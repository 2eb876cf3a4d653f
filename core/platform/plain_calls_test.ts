/** Reading tool calls out of plain-mode fenced code, for models without tool calling. */
import assert from "node:assert/strict";
import { INVALID, plainCalls, plainReplyCalls } from "./plain_calls.ts";

const fenced = (
  code: string,
) => [{ id: "f0", name: "execute_code", arguments: JSON.stringify({ code }) }];
const parsed = (code: string) =>
  plainCalls(fenced(code)).map((c) => [c.name, JSON.parse(c.arguments)]);

Deno.test("plain mode code becomes tool calls, one per tool_name({...}) call", () => {
  const code = 'await send_to_vtuber({"text": "hi"});\nawait update_scb({"description": "x"})';
  assert.deepEqual(parsed(code), [
    ["send_to_vtuber", { text: "hi" }],
    ["update_scb", { description: "x" }],
  ]);
});

Deno.test("object literals as small models write them are read, code is never run", () => {
  const code =
    `const x = 1;\nawait tools.update_scb({\n  description: 'cozy corner',\n  mood: "calm",\n  intensity: \`subtle\`,\n  tags: ["a", -2],\n});\nupdate_context({ text: "t", nested: { ok: true } })`;
  assert.deepEqual(parsed(code), [
    ["update_scb", {
      description: "cozy corner",
      mood: "calm",
      intensity: "subtle",
      tags: ["a", -2],
    }],
    ["update_context", { text: "t", nested: { ok: true } }],
  ]);
  const [call] = parsed("send_to_vtuber({ text: secret() })");
  assert.equal(call![0], "send_to_vtuber", "the inner call is not a tool call of its own");
  assert.match(String(call![1][INVALID]), /CallExpression is not a literal/);
});

Deno.test("a plain reply without code is the final answer; native calls pass unchanged", () => {
  assert.deepEqual(plainReplyCalls("Nothing to do this cycle.", "p1").calls, []);
  const reply = plainReplyCalls('Greet them.\n```ts\nsend_to_vtuber({text: "hello"})\n```', "p1");
  assert.equal(reply.thought, "Greet them.");
  assert.deepEqual(reply.calls.map((c) => c.name), ["send_to_vtuber"]);
  const native = [{ id: "c1", name: "update_context", arguments: '{"text":"t"}' }];
  assert.deepEqual(plainCalls(native), native);
  assert.deepEqual(parsed("console.log(1)"), [], "only tool calls, not any call");
});
