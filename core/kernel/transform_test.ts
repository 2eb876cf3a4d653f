/** Tests of the kernel front end: type stripping, import/export rewriting, declarations. */
import assert from "node:assert/strict";
import { CellSyntaxError, transformCell } from "./transform.ts";
import { rewriteNamespaces } from "./namespaces.ts";
import { parseCells } from "./cells.ts";

Deno.test("transform rewrites static imports into persistent await import()", () => {
  const t = transformCell(
    "import P, { a as b, c } from 'x';\nimport * as ns from 'y';\nimport 'z';",
  );
  assert.equal(
    t.js,
    'const { default: P, a: b, c: c } = await import("x");\n' +
      'const ns = await import("y");\nawait import("z");',
  );
  assert.deepEqual(t.declared, ["P", "b", "c", "ns"]);
  assert.deepEqual(t.definitions, ["P", "b", "c", "ns"]);
});

Deno.test("transform keeps import attributes", () => {
  const t = transformCell("import data from './d.json' with { type: 'json' };");
  assert.equal(
    t.js,
    'const { default: data } = await import("./d.json", { with: { type: "json" } });',
  );
});

Deno.test("transform strips export and types but keeps line numbers", () => {
  const src =
    "export const a: number = 1;\ninterface I {\n  x: string;\n}\nexport function f(): void {}";
  const t = transformCell(src);
  assert.equal(t.js.split("\n").length, src.split("\n").length);
  assert.doesNotMatch(t.js, /export|interface|: number/);
  assert.deepEqual(t.kinds, { a: "const", f: "function" });
});

Deno.test("transform wraps the last expression when asked", () => {
  assert.equal(transformCell("let a = 1; a + 1", "keep").js, "let a = 1; keep((a + 1))");
  assert.equal(transformCell("let a = 1;", "keep").js, "let a = 1;");
});

Deno.test("transform classifies functions, classes and module namespaces as definitions", () => {
  const t = transformCell(
    "const f = () => 1; class K {}; let d = [1]; const m = await import('x'); enum E { A }",
  );
  assert.deepEqual(t.definitions.sort(), ["E", "K", "f", "m"]);
  assert.ok(t.declared.includes("d"));
});

Deno.test("transform reports a syntax error with its line", () => {
  assert.throws(() => transformCell("let a = 1;\nlet = ;"), (e: unknown) => {
    assert.ok(e instanceof CellSyntaxError);
    assert.equal(e.line, 2);
    return true;
  });
});

Deno.test("namespaces become the IIFE tsc emits, on the same lines", () => {
  const out = rewriteNamespaces("namespace N {\n  export const a = 1;\n}\nN.a");
  assert.equal(out, "var N; (function (N) {\n  const a = 1;\n; N.a = a; })(N || (N = {}));\nN.a");
  assert.equal(rewriteNamespaces("const s = 'namespace N {'"), "const s = 'namespace N {'");
});

Deno.test("cells files split on lines that are exactly // %%", () => {
  assert.deepEqual(parseCells("a\n// %%\nb\n//%%\nc\n// %%\n"), ["a", "b\n//%%\nc"]);
  assert.deepEqual(parseCells("// %%\nx"), ["x"]);
});
