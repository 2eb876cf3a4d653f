/**
 * REPL semantics of the kernel, in the spirit of Deno's own REPL tests: one Deno.test per
 * behaviour, all sharing one kernel (each case uses its own names). `setup` cells run first.
 */
import assert from "node:assert/strict";
import type { CellResult } from "./types.ts";
import { shared, testKernel } from "./_testing.ts";

const t = await testKernel();
await Deno.writeTextFile(`${t.workspaceDir}/data.csv`, "g,v\na,1\na,3\nb,5\n");

type Case = { name: string; setup?: string[]; code: string; check(r: CellResult): void };
const value = (v: unknown) => (r: CellResult) => {
  assert.equal(r.error, null, JSON.stringify(r.error));
  assert.deepEqual(r.value, v);
};
const shows = (display: string) => (r: CellResult) => {
  assert.equal(r.error, null, JSON.stringify(r.error));
  assert.equal(r.display, display);
};
const fails = (name: string | RegExp, line?: number) => (r: CellResult) => {
  assert.equal(r.ok, false);
  assert.match(r.error?.name ?? "", typeof name === "string" ? new RegExp(`^${name}$`) : name);
  if (line !== undefined) assert.equal(r.error?.line, line);
};

const CASES: Case[] = [
  {
    name: "keeps a let binding across cells",
    setup: ["let a1 = 1"],
    code: "a1 + 1",
    check: value(2),
  },
  {
    name: "keeps a const binding across cells",
    setup: ["const a2 = 'x'"],
    code: "a2",
    check: value("x"),
  },
  {
    name: "a function from an earlier cell sees a variable reassigned later",
    setup: ["let a3 = 1", "function g3() { return a3 }", "a3 = 5"],
    code: "g3()",
    check: value(5),
  },
  {
    name: "allows redeclaring let in a later cell",
    setup: ["let a4 = 1", "let a4 = 2"],
    code: "a4",
    check: value(2),
  },
  {
    name: "allows redeclaring const in a later cell",
    setup: ["const a5 = 1", "const a5 = 3"],
    code: "a5",
    check: value(3),
  },
  {
    name: "keeps a class across cells",
    setup: ["class C6 { m() { return 6 } }"],
    code: "new C6().m()",
    check: value(6),
  },
  {
    name: "allows redeclaring a class",
    setup: ["class C7 { v = 1 }", "class C7 { v = 2 }"],
    code: "new C7().v",
    check: value(2),
  },
  { name: "supports top-level await", code: "await Promise.resolve(8)", check: value(8) },
  {
    name: "keeps a binding initialised with await",
    setup: ["const a9 = await Promise.resolve(9)"],
    code: "a9",
    check: value(9),
  },
  { name: "returns the value of the last expression", code: "1; 2; 3", check: value(3) },
  {
    name: "shows undefined for a declaration-only cell",
    code: "let a11 = 1",
    check: (r) => {
      assert.equal(r.display, "undefined");
      assert.equal("value" in r, false);
    },
  },
  { name: "accepts an empty cell", code: "", check: shows("undefined") },
  { name: "accepts a comment-only cell", code: "// nothing here", check: shows("undefined") },
  { name: "keeps the last result in _", setup: ["40 + 2"], code: "_", check: value(42) },
  {
    name: "keeps the last thrown value in _error",
    setup: ["throw new RangeError('r15')"],
    code: "_error.message",
    check: value("r15"),
  },
  {
    name: "keeps going after a runtime error",
    setup: ["let a16 = 1", "throw new Error('x')"],
    code: "a16",
    check: value(1),
  },
  {
    name: "keeps going after a syntax error",
    setup: ["let a17 = 1", "let = ;"],
    code: "a17",
    check: value(1),
  },
  {
    name: "reports the line of a syntax error",
    code: "let a18 = 1;\nlet b18 = ;",
    check: fails("SyntaxError", 2),
  },
  {
    name: "reports the user's line of a runtime error",
    code: "\n\nnull.x",
    check: fails("TypeError", 3),
  },
  {
    name: "reports the message and stack of an error",
    code: "throw new Error('e20')",
    check: (r) => {
      assert.equal(r.error?.message, "e20");
      assert.match(r.error?.stack ?? "", /Error: e20\n\s+at /);
    },
  },
  {
    name: "reports a thrown non-Error value",
    code: "throw 'str21'",
    check: (r) => {
      assert.equal(r.ok, false);
      assert.match(r.error?.message ?? "", /str21/);
    },
  },
  {
    // Measured on deno repl 2.9.6: "Uncaught ReferenceError: yy is not defined".
    name: "runs cells in strict mode like deno repl: no undeclared globals",
    code: "undeclared22 = 22; undeclared22",
    check: (r) => {
      assert.equal(r.error?.name, "ReferenceError");
      assert.match(r.error?.message ?? "", /undeclared22 is not defined/);
    },
  },
  {
    name: "runs cells in strict mode like deno repl: a write to a frozen object throws",
    code: "const frozen22 = Object.preventExtensions({}); frozen22.x = 1",
    check: (r) =>
      assert.match(r.error?.message ?? "", /Cannot add property x, object is not extensible/),
  },
  {
    name: "honours 'use strict' inside a function",
    code: "(function () { 'use strict'; return this })()",
    check: shows("undefined"),
  },
  { name: "strips type annotations", code: "const a23: number = 23; a23", check: value(23) },
  {
    name: "strips interfaces and type aliases",
    code: "interface I24 { a: number }\ntype T24 = string;\nconst o24: I24 = { a: 1 };\no24.a",
    check: value(1),
  },
  {
    name: "strips generics and as-casts",
    code: "function id25<T>(x: T): T { return x }\nid25<number>(25) as number",
    check: value(25),
  },
  { name: "compiles enums", code: "enum E26 { A, B, C }\nE26.C", check: value(2) },
  {
    name: "compiles namespaces",
    code: "namespace N27 {\n  export const v = 27;\n  export function f() { return v }\n}\nN27.f()",
    check: value(27),
  },
  {
    name: "compiles parameter properties",
    code: "class P28 { constructor(public x: number) {} }\nnew P28(28).x",
    check: value(28),
  },
  {
    name: "keeps line numbers after stripping types",
    code: "type T29 = {\n  a: number;\n};\nthrow new Error('l')",
    check: fails("Error", 4),
  },
  {
    name: "keeps a default import across cells",
    setup: ["import Papa30 from 'papaparse'"],
    code: "typeof Papa30.parse",
    check: value("function"),
  },
  {
    name: "keeps a renamed named import",
    setup: ["import { mean as m31 } from 'simple-statistics'"],
    code: "m31([1, 2, 3])",
    check: value(2),
  },
  {
    name: "keeps a namespace import",
    setup: ["import * as ss32 from 'simple-statistics'"],
    code: "ss32.sum([1, 2])",
    check: value(3),
  },
  {
    name: "imports npm: specifiers of the pre-cached libraries",
    code: "const { default: P33 } = await import('npm:papaparse@5.5.3'); typeof P33.unparse",
    check: value("function"),
  },
  {
    name: "strips export from declarations",
    setup: ["export const a34 = 34"],
    code: "a34",
    check: value(34),
  },
  {
    name: "displays an object like deno repl",
    code: "({ foo: 'bar' })",
    check: shows('{ foo: "bar" }'),
  },
  { name: "displays an array like deno repl", code: "[2, 4, 6]", check: shows("[ 2, 4, 6 ]") },
  {
    name: "displays a function like deno repl",
    code: "function f37() {}\nf37",
    check: shows("[Function: f37]"),
  },
  { name: "displays a string quoted", code: "'hi'", check: shows('"hi"') },
  { name: "returns null as a value", code: "null", check: value(null) },
  {
    name: "displays a Map and gives no JSON value for it",
    code: "new Map([[1, 'a']])",
    check: (r) => {
      assert.equal(r.display, 'Map(1) { 1 => "a" }');
      assert.equal("value" in r, false);
    },
  },
  { name: "displays a class", code: "class K41 {}\nK41", check: shows("[class K41]") },
  {
    name: "displays a bigint without a JSON value",
    code: "10n",
    check: (r) => {
      assert.equal(r.display, "10n");
      assert.equal("value" in r, false);
    },
  },
  {
    name: "captures console output, stdout and stderr apart",
    code: "console.log('a', 1); console.error('b')",
    check: (r) => {
      assert.equal(r.stdout, "a 1\n");
      assert.equal(r.stderr, "b\n");
    },
  },
  {
    name: "supports console format specifiers",
    code: "console.log('%s=%d', 'x', 5)",
    check: (r) => assert.equal(r.stdout, "x=5\n"),
  },
  {
    name: "truncates huge console output and says how much was cut",
    code: "for (let i = 0; i < 100000; i++) console.log('line ' + i)",
    check: (r) => {
      assert.ok(r.stdout.length < 70_000, `kept ${r.stdout.length}`);
      assert.match(r.stdout, /output truncated: \d+ more characters in \d+ lines were cut/);
    },
  },
  {
    name: "reports an unawaited rejected promise",
    setup: ["Promise.reject(new Error('u47')); 1"],
    code: "await new Promise((r) => setTimeout(r, 10))",
    check: (r) => {
      assert.ok(r.lateErrors?.some((e) => e.message.includes("u47")), JSON.stringify(r));
    },
  },
  {
    name: "reports an error thrown later by a timer",
    setup: ["setTimeout(() => { throw new Error('t48') }, 0)"],
    code: "await new Promise((r) => setTimeout(r, 20))",
    check: (r) => {
      assert.ok(r.lateErrors?.some((e) => e.message.includes("t48")), JSON.stringify(r));
    },
  },
  {
    name: "loads a CSV, groups and aggregates with the data libraries",
    code: [
      "import Papa from 'papaparse';",
      "import * as aq from 'arquero';",
      "const rows = Papa.parse(await Deno.readTextFile('data.csv'), { header: true, dynamicTyping: true, skipEmptyLines: true }).data;",
      "aq.from(rows).groupby('g').rollup({ s: aq.op.sum('v') }).objects()",
    ].join("\n"),
    check: value([{ g: "a", s: 4 }, { g: "b", s: 5 }]),
  },
  {
    name: "gives cells list_variables without kernel internals",
    setup: ["let lv50 = [1, 2]"],
    code: "list_variables().map((v) => v.name)",
    check: (r) => {
      const names = r.value as string[];
      assert.ok(names.includes("lv50"));
      for (const hidden of ["tools", "list_variables", "inspect_variable", "_", "__kernel_emit"]) {
        assert.ok(!names.includes(hidden), hidden);
      }
    },
  },
  {
    name: "gives cells inspect_variable",
    setup: ["const iv51 = new Float64Array([1, 2, 3])"],
    code: "inspect_variable('iv51')",
    check: (r) => {
      assert.match(String(r.value), /Float64Array.*\n.*min=1 max=3 mean=2/);
    },
  },
  {
    name: "keeps destructured bindings",
    setup: ["const { a: d52, b: [e52] } = { a: 1, b: [2] }"],
    code: "d52 + e52",
    check: value(3),
  },
  {
    name: "keeps an async function and awaits it later",
    setup: ["async function af53() { return 53 }"],
    code: "await af53()",
    check: value(53),
  },
  {
    name: "keeps a generator function",
    setup: ["function* gen54() { yield 1; yield 2 }"],
    code: "[...gen54()]",
    check: value([1, 2]),
  },
  {
    name: "a closure sees a binding redeclared later",
    setup: ["let r55 = 1", "const get55 = () => r55", "let r55 = 2"],
    code: "get55()",
    check: value(2),
  },
];

for (const c of CASES) {
  Deno.test({ name: `kernel ${c.name}`, ...shared }, async () => {
    const late = [];
    for (const s of c.setup ?? []) late.push(...((await t.kernel.execute(s)).lateErrors ?? []));
    const r = await t.kernel.execute(c.code);
    late.push(...(r.lateErrors ?? []));
    c.check(late.length ? { ...r, lateErrors: late } : r);
  });
}

Deno.test({ name: "kernel semantics suite closes its kernel", ...shared }, async () => {
  await t.close();
});
