/** Tests of the REPL's input reader. */
import assert from "node:assert/strict";
import { readInputs } from "./line_reader.ts";

async function inputs(text: string): Promise<string[]> {
  const out: string[] = [];
  const stream = new Blob([text]).stream();
  for await (const i of readInputs(stream)) out.push(i);
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
