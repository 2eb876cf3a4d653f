/** Tests of the kernel's per-variable checkpoints (run in the test process: Deno + node:v8). */
import assert from "node:assert/strict";
import { loadCheckpoint, saveCheckpoint } from "./checkpoint.ts";

Deno.test("checkpoint round-trips data, reports what cannot be serialised", async () => {
  const dir = await Deno.makeTempDir();
  const r = await saveCheckpoint(dir, [
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
  await saveCheckpoint(dir, [{ name: "big", kind: "let", value: [1] }], []);
  const index = JSON.parse(await Deno.readTextFile(`${dir}/index.json`));
  index.big.costMs = 5_000; // as if serialising it had taken 5 s just now
  await Deno.writeTextFile(`${dir}/index.json`, JSON.stringify(index));
  const bigger = new Array(60_000).fill(2);
  const r = await saveCheckpoint(dir, [{ name: "big", kind: "let", value: bigger }], []);
  assert.match(r.skipped[0]?.reason ?? "", /deferred/);
  const { vars } = await loadCheckpoint(dir);
  assert.deepEqual(vars[0]?.value, [1]);
  assert.equal(vars[0]?.meta.stale, true);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("checkpoint never defers a costly variable reassigned to something small", async () => {
  const dir = await Deno.makeTempDir();
  await saveCheckpoint(dir, [{ name: "big", kind: "let", value: [1] }], []);
  const index = JSON.parse(await Deno.readTextFile(`${dir}/index.json`));
  index.big.costMs = 5_000;
  await Deno.writeTextFile(`${dir}/index.json`, JSON.stringify(index));
  const r = await saveCheckpoint(dir, [{ name: "big", kind: "let", value: null }], []);
  assert.deepEqual(r.saved, ["big"]);
  assert.equal((await loadCheckpoint(dir)).vars[0]?.value, null);
  await Deno.remove(dir, { recursive: true });
});
