/** Tests of the structural normal form used to find repeated cells. */
import assert from "node:assert/strict";
import { normalizeCode, similarity } from "./normalize_code.ts";

Deno.test("cells that differ only in names, literals, comments and layout normalise alike", () => {
  const a = normalizeCode(
    `// fetch and count\nconst page = await tools.fetch_url({ url: "https://a.com" });\nconst n: number = page.text.split(" ").length;\nn`,
  );
  const b = normalizeCode(
    `const   doc = await tools.fetch_url({url:'https://b.org'}); /* x */\nconst words = doc.text.split("\\n").length;\nwords`,
  );
  assert.ok(a && b);
  assert.equal(a.key, b.key);
  assert.deepEqual(a.literals, ["https://a.com", " "]);
  assert.deepEqual(b.literals, ["https://b.org", "\n"]);
});

Deno.test("different calls or structure give different normal forms", () => {
  const a = normalizeCode(`const p = await tools.fetch_url({ url: "x" }); p.text.length`);
  const b = normalizeCode(`const p = await tools.memory_search({ url: "x" }); p.text.length`);
  const c = normalizeCode(`const p = await tools.fetch_url({ url: "x" }); if (p) p.text.length`);
  assert.notEqual(a?.key, b?.key);
  assert.notEqual(a?.key, c?.key);
});

Deno.test("free names are the globals and earlier cells' variables a cell reads", () => {
  const n = normalizeCode(`const rows = data.filter((r) => r.ok); console.log(rows.length)`);
  assert.deepEqual(n?.freeNames.sort(), ["console", "data"]);
});

Deno.test("code that does not parse has no normal form", () => {
  assert.equal(normalizeCode("const = ;"), undefined);
});

Deno.test("similarity is 1 for equal sequences and lower for edited ones", () => {
  const a = normalizeCode(
    `const x = items.map((i) => i.price * 2).filter((p) => p > 10); x.length`,
  )!;
  const b = normalizeCode(
    `const y = items.map((i) => i.price * 3).filter((p) => p > 1); y.length`,
  )!;
  const c = normalizeCode(
    `const y = items.map((i) => i.price * 3).filter((p) => p > 1).sort(); y.at(0)`,
  )!;
  const d = normalizeCode(`await tools.memory_save({ text: "hello" })`)!;
  assert.equal(similarity(a.tokens, b.tokens), 1);
  const sc = similarity(a.tokens, c.tokens);
  assert.ok(sc > 0.5 && sc < 1, `edited: ${sc}`);
  assert.ok(similarity(a.tokens, d.tokens) < 0.2);
});
