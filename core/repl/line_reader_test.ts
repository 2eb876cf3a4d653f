/** Tests of the REPL's input reader. */
import assert from "node:assert/strict";
import { InputReader } from "./line_reader.ts";

async function inputs(text: string): Promise<string[]> {
  const out: string[] = [];
  const reader = new InputReader(new Blob([text]).stream());
  for (let i = await reader.input(); i !== undefined; i = await reader.input()) out.push(i);
  return out;
}

Deno.test("reader yields one input per line, continued by a trailing backslash", async () => {
  assert.deepEqual(await inputs("one\ntwo \\\nthree\n:vars\n"), ["one", "two \nthree", ":vars"]);
});

Deno.test('reader keeps a """ block as one input', async () => {
  assert.deepEqual(await inputs('"""\nline 1\n\nline 3\n"""\nnext\n'), [
    "line 1\n\nline 3",
    "next",
  ]);
});

Deno.test("reader yields a last line without newline and handles CRLF", async () => {
  assert.deepEqual(await inputs("a\r\nb"), ["a", "b"]);
});

Deno.test("a recalled multi-line entry is one input; an answer is one raw line", async () => {
  const lines = ["multi\nline \\", "y", "next \\", "more"][Symbol.iterator]();
  const prompts: string[] = [];
  const reader = new InputReader(
    { lines: { next: () => Promise.resolve(lines.next()) } },
    (kind, q) => prompts.push(q ?? kind),
  );
  assert.equal(await reader.input(), "multi\nline \\");
  assert.equal(await reader.answer("Load it? [y/N]"), "y");
  assert.equal(await reader.input(), "next \nmore");
  assert.deepEqual(prompts, ["first", "Load it? [y/N]", "first", "more"]);
});
