/** Behaviour of the fenced-code fallback for models without tool calling. */
import assert from "node:assert/strict";
import { actionToToolCall, extractAction } from "./extract_action.ts";

Deno.test("a ts fenced block becomes an execute_code action with the prose as thought", () => {
  const action = extractAction(
    "I will add them.\n```ts\nconst x = 6 * 7;\nconsole.log(x);\n```\nDone.",
  );
  assert.deepEqual(action, {
    type: "execute_code",
    code: "const x = 6 * 7;\nconsole.log(x);",
    language: "ts",
    thought: "I will add them.\nDone.",
  });
});

Deno.test("typescript, js and javascript labels are all code; several blocks are joined", () => {
  const reply = "```typescript\nconst a = 1;\n```\ntext\n```JavaScript\nconsole.log(a)\n```";
  const action = extractAction(reply);
  assert.equal(action.type, "execute_code");
  assert.equal(action.type === "execute_code" && action.code, "const a = 1;\n\nconsole.log(a)");
  assert.equal(extractAction("```js\n1\n```").type, "execute_code");
});

Deno.test("a reply without a code block is the final answer", () => {
  assert.deepEqual(extractAction("  The answer is 42.  "), {
    type: "final_answer",
    text: "The answer is 42.",
  });
});

Deno.test("json, python and unlabeled blocks are not executed", () => {
  for (
    const reply of ['Here:\n```json\n{"a":1}\n```', "```python\nprint(1)\n```", "```\nls\n```"]
  ) {
    assert.equal(extractAction(reply).type, "final_answer", reply);
  }
});

Deno.test("a block cut off at max tokens still counts as code", () => {
  const action = extractAction("```ts\nconst rows = await query(");
  assert.equal(action.type === "execute_code" && action.code, "const rows = await query(");
});

Deno.test("a longer fence may contain a shorter one", () => {
  const action = extractAction("````ts\nconst s = `\n```\n`;\n````");
  assert.equal(action.type === "execute_code" && action.code, "const s = `\n```\n`;");
});

Deno.test("an execute_code action converts to the equivalent tool call", () => {
  const action = extractAction("```ts\nconsole.log(1)\n```");
  assert.ok(action.type === "execute_code");
  const call = actionToToolCall(action, "x1");
  assert.deepEqual(call, {
    id: "x1",
    name: "execute_code",
    arguments: '{"code":"console.log(1)"}',
  });
});
