/** The line editor's queueing: an answer is only a line typed after its question. */
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { LineEditor } from "./line_editor.ts";
import { InputReader } from "./line_reader.ts";

function editor() {
  const input = new PassThrough();
  const output = new PassThrough();
  output.resume();
  const e = new LineEditor({ input, output, onInterrupt: () => false });
  return { e, type: (text: string) => input.write(text) };
}

Deno.test("a line typed ahead of an approval question is not its answer", async () => {
  const { e, type } = editor();
  const reader = new InputReader(e, (kind, q) => e.prompt(q ?? "> ", kind === "answer"));
  type("first task\r");
  assert.equal(await reader.input(), "first task");
  type("typed while the task ran\r"); // before the question is shown
  await new Promise((r) => setTimeout(r, 0));
  const answer = reader.answer("Load it? [y/N]");
  type("y\r");
  assert.equal(await answer, "y");
  assert.equal(await reader.input(), "typed while the task ran", "kept for the next prompt");
  e.close();
});

Deno.test("a multi-line input is one history entry and answers are none", async () => {
  const { e, type } = editor();
  const reader = new InputReader(e, (kind, q) => e.prompt(q ?? "> ", kind === "answer"));
  type("one \\\r");
  type("two\r");
  assert.equal(await reader.input(), "one \ntwo");
  const answer = reader.answer("[y/N]");
  type("n\r");
  assert.equal(await answer, "n");
  assert.deepEqual(e.history(), ["one \ntwo"]);
  e.close();
});
