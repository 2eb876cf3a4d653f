/** Reading tool calls out of plain-mode fenced code, for models without tool calling. */
import assert from "node:assert/strict";
import { plainCalls } from "./decide.ts";

Deno.test("plain mode code becomes tool calls, one per tool_name({...}) line", () => {
  const code = 'await send_to_vtuber({"text": "hi"});\nawait update_scb({"description": "x"})';
  const calls = plainCalls([
    { id: "f0", name: "execute_code", arguments: JSON.stringify({ code }) },
  ]);
  assert.deepEqual(calls.map((c) => [c.name, JSON.parse(c.arguments)]), [
    ["send_to_vtuber", { text: "hi" }],
    ["update_scb", { description: "x" }],
  ]);
});

Deno.test("native tool calls pass through plain-call reading unchanged", () => {
  const native = [{ id: "c1", name: "update_context", arguments: '{"text":"t"}' }];
  assert.deepEqual(plainCalls(native), native);
  assert.deepEqual(
    plainCalls([{ id: "f", name: "execute_code", arguments: '{"code":"console.log(1)"}' }]),
    [],
  );
});
