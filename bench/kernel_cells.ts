/** Cells the kernel benchmarks share. */

/** A 50-line TypeScript cell: types, an interface, an enum, functions, a class and loops. */
export const CELL_50 = [
  "interface Row { id: number; name: string; score: number }",
  "enum Kind { A, B, C }",
  "type Pair<T> = [T, T];",
  ...Array.from(
    { length: 20 },
    (_, i) => `function f${i}(x: number): number {\n  return x + ${i};\n}`,
  ),
  "class Acc { total = 0; add(r: Row): void { this.total += r.score } }",
  "const rows: Row[] = Array.from({ length: 100 }, (_, i) => ({ id: i, name: `n${i}`, score: i / 2 }));",
  "const acc = new Acc();",
  "for (const r of rows) acc.add(r);",
  "const pair: Pair<number> = [f3(1), f7(2)];",
  "acc.total + pair[0] + pair[1] + Kind.C",
].join("\n");
