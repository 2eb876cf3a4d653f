/** Tests of the kernel's per-variable checkpoints (run in the test process: Deno + node:v8). */
import assert from "node:assert/strict";
import v8 from "node:v8";
import { loadCheckpoint, saveCheckpoint } from "./checkpoint.ts";

Deno.test("checkpoint round-trips data, reports what cannot be serialised", async () => {
  const dir = await Deno.makeTempDir();
  const r = saveCheckpoint(dir, [
    { name: "m", kind: "const", value: new Map([[1, { a: [1n, new Date(0)] }]]) },
    { name: "f", kind: "let", value: Symbol("no") },
  ], []);
  assert.deepEqual(r.saved, ["m"]);
  assert.equal(r.skipped[0]?.name, "f");
  const { vars } = await loadCheckpoint(dir);
  assert.deepEqual(vars.map((v) => [v.meta.name, v.meta.kind]), [["m", "const"]]);
  assert.deepEqual(vars[0]?.value, new Map([[1, { a: [1n, new Date(0)] }]]));
  await Deno.remove(dir, { recursive: true });
});

Deno.test("checkpoint defers a costly variable and marks its saved copy stale", async () => {
  const dir = await Deno.makeTempDir();
  saveCheckpoint(dir, [{ name: "big", kind: "let", value: [1] }], []);
  const index = JSON.parse(await Deno.readTextFile(`${dir}/index.json`));
  index.big.costMs = 5_000; // as if serialising it had taken 5 s just now
  await Deno.writeTextFile(`${dir}/index.json`, JSON.stringify(index));
  const bigger = new Array(60_000).fill(2);
  const r = saveCheckpoint(dir, [{ name: "big", kind: "let", value: bigger }], []);
  assert.match(r.skipped[0]?.reason ?? "", /deferred/);
  const { vars } = await loadCheckpoint(dir);
  assert.deepEqual(vars[0]?.value, [1]);
  assert.equal(vars[0]?.meta.stale, true);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("checkpoint never defers a costly variable reassigned to something small", async () => {
  const dir = await Deno.makeTempDir();
  saveCheckpoint(dir, [{ name: "big", kind: "let", value: [1] }], []);
  const index = JSON.parse(await Deno.readTextFile(`${dir}/index.json`));
  index.big.costMs = 5_000;
  await Deno.writeTextFile(`${dir}/index.json`, JSON.stringify(index));
  const r = saveCheckpoint(dir, [{ name: "big", kind: "let", value: null }], []);
  assert.deepEqual(r.saved, ["big"]);
  assert.equal((await loadCheckpoint(dir)).vars[0]?.value, null);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("checkpoint stores a big table as columns and still reads v8 files of old sessions", async () => {
  const dir = await Deno.makeTempDir();
  const rows = Array.from({ length: 5_000 }, (_, i) => ({ id: i, name: `r${i}`, x: -i / 7 }));
  saveCheckpoint(dir, [{ name: "rows", kind: "let", value: rows }], []);
  const index = JSON.parse(await Deno.readTextFile(`${dir}/index.json`));
  const file = `${dir}/${index.rows.file}`;
  assert.equal(new TextDecoder().decode((await Deno.readFile(file)).subarray(0, 6)), "NSCOLS");
  assert.deepStrictEqual((await loadCheckpoint(dir)).vars[0]?.value, rows);
  await Deno.writeFile(file, v8.serialize(rows)); // as written before the columnar format
  assert.deepStrictEqual((await loadCheckpoint(dir)).vars[0]?.value, rows);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("checkpoint reports a table whose getter throws as skipped", async () => {
  const dir = await Deno.makeTempDir();
  const rows = Array.from({ length: 5_000 }, (_, i) =>
    i === 9
      ? {
        get id(): number {
          throw new Error("no id");
        },
      }
      : { id: i });
  const r = saveCheckpoint(dir, [{ name: "rows", kind: "let", value: rows }], []);
  assert.deepEqual(r.saved, []);
  assert.match(r.skipped[0]?.reason ?? "", /no id/);
  await Deno.remove(dir, { recursive: true });
});
