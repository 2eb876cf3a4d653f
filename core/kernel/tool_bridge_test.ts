/**
 * Tests of the kernel's tool bridge (binding event -> callTool -> settle): concurrent calls
 * settle with their own results whatever order they finish in, big payloads cross whole both
 * ways, and many calls in a row from one cell all resolve. Timing lives in bench/kernel_bench.ts.
 */
import assert from "node:assert/strict";
import { testKernel } from "./_testing.ts";
import type { CallTool } from "./types.ts";

/** Echoes its args back after `delayMs` (default 0), counting calls. */
function echoTool(): { callTool: CallTool; calls: string[] } {
  const calls: string[] = [];
  const callTool: CallTool = async (name, args) => {
    calls.push(name);
    const delay = (args as { delayMs?: number }).delayMs ?? 0;
    if (delay) await new Promise((r) => setTimeout(r, delay));
    return { ok: true, value: { name, args } };
  };
  return { callTool, calls };
}

Deno.test("concurrent tool calls from one cell settle with their own results", async () => {
  const { callTool, calls } = echoTool();
  const t = await testKernel({ callTool });
  try {
    // The first call finishes last: results must follow ids, not completion order.
    const r = await t.kernel.execute(`
      const rs = await Promise.all(Array.from({ length: 8 }, (_, i) =>
        tools["t" + i]({ i, delayMs: (8 - i) * 5 })));
      rs.map((x) => x.name + ":" + x.args.i).join(",")`);
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.equal(r.value, "t0:0,t1:1,t2:2,t3:3,t4:4,t5:5,t6:6,t7:7");
    assert.equal(calls.length, 8);
  } finally {
    await t.close();
  }
});

Deno.test("tool call payloads of many TCP segments cross whole both ways", async () => {
  const { callTool } = echoTool();
  const t = await testKernel({ callTool });
  try {
    for (const size of [1_000, 70_000, 1_000_000]) {
      const r = await t.kernel.execute(`
        const big${size} = "x".repeat(${size - 1}) + "!";
        const back${size} = await tools.echo({ s: big${size} });
        [back${size}.args.s.length, back${size}.args.s.at(-1), back${size}.args.s === big${size}]`);
      assert.equal(r.ok, true, JSON.stringify(r.error));
      assert.deepEqual(r.value, [size, "!", true], `payload of ${size} characters`);
    }
  } finally {
    await t.close();
  }
});

Deno.test("a cell awaiting many tool calls in a row gets every result", async () => {
  const { callTool, calls } = echoTool();
  const t = await testKernel({ callTool });
  try {
    const r = await t.kernel.execute(`
      let sum = 0;
      for (let i = 0; i < 200; i++) sum += (await tools.add({ i })).args.i;
      sum`);
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.equal(r.value, 199 * 200 / 2);
    assert.equal(calls.length, 200);
    // The kernel keeps working afterwards, and a late cell sees the earlier state.
    const again = await t.kernel.execute("sum + (await tools.one({ i: 1 })).args.i");
    assert.equal(again.value, 19_901);
  } finally {
    await t.close();
  }
});
