import assert from "node:assert/strict";
import { searchToolsBenchmark } from "../../bench/tools_bench.ts";
import { DEFAULT_TOOLS_DATA, loadBfcl, loadMetaTool } from "./bench_data.ts";

const data = new URL(`../../${DEFAULT_TOOLS_DATA}`, import.meta.url).pathname;
let present = false;
try {
  present = Deno.statSync(`${data}/bfcl`).isDirectory;
} catch {
  present = false;
}

Deno.test("benchmark data loaders and the benchmark skip a missing folder", async () => {
  assert.equal(await loadBfcl("/nonexistent/tools-dev"), undefined);
  assert.equal(await loadMetaTool("/nonexistent/tools-dev"), undefined);
  const result = await searchToolsBenchmark({ dataDir: "/nonexistent/tools-dev" });
  assert.match(result.skipped ?? "", /not found in "\/nonexistent\/tools-dev"/);
});

Deno.test({
  name: "BFCL loader pools functions and keeps every query's gold tool in the pool",
  ignore: !present,
  fn: async () => {
    const bfcl = (await loadBfcl(data))!;
    const names = new Set(bfcl.catalog.map((s) => s.name));
    assert.equal(names.size, bfcl.catalog.length, "catalogue is deduplicated by name");
    assert.ok(bfcl.queries.length > 2000);
    for (const q of bfcl.queries) {
      assert.ok(q.query.length > 0, `query of group ${q.group} is empty`);
      for (const g of q.gold) assert.ok(q.candidates?.includes(g), `${g} not among candidates`);
    }
    assert.ok(bfcl.irrelevance.every((q) => q.tools.length > 0));
  },
});

Deno.test({
  name: "MetaTool loader names only catalogued tools as gold, several for multi-tool queries",
  ignore: !present,
  fn: async () => {
    const meta = (await loadMetaTool(data))!;
    const names = new Set(meta.catalog.map((s) => s.name));
    assert.ok(meta.queries.length > 20000 && meta.multi.length > 400);
    for (const q of [...meta.queries, ...meta.multi]) {
      for (const g of q.gold) assert.ok(names.has(g), `${g} is not in plugin_des.json`);
    }
    assert.ok(meta.multi.every((q) => q.gold.length >= 2));
  },
});
