/** Code shown over the network keeps its shape and loses what a person typed as data. */
import assert from "node:assert/strict";
import { maskCodeLiterals } from "./redact_code.ts";

Deno.test("string and template literals are withheld and comments dropped", () => {
  const code = 'const key = "sk-proj-1234"; // my password hunter2\n' +
    "/* token: abc */ await tools.fetch({ url: `https://x/${id}?q=1`, note: 'it\\'s' });";
  const out = maskCodeLiterals(code);
  assert.doesNotMatch(out, /sk-proj|hunter2|abc|https|it\\'s/);
  assert.equal(out, "const key = \"…\"; \n  await tools.fetch({ url: `…`, note: '…' });");
});

Deno.test("an unclosed quote masks to the end of its line, never less", () => {
  assert.equal(maskCodeLiterals('x = "open\nnext = 1'), 'x = "…"\nnext = 1');
});
