/**
 * Issue 14.7: a kernel cannot exhaust its supervisor. Every byte the supervisor holds for a
 * kernel is bounded before it is buffered: a 100 MB tool argument, 400 MB written to stdout
 * without a newline, a 70 MB exception message and 100,000 tool calls at once each cost the
 * supervisor a bounded amount of memory, and the kernel gets a clear error. The supervisor's
 * RSS growth is measured in this process (it held 0.9 to 2.4 GB for these before the caps).
 */
import assert from "node:assert/strict";
import { memoryLogger } from "../log.ts";
import { testKernel } from "./_testing.ts";
import { MAX_TOOL_CALLS_IN_FLIGHT, ToolBridge } from "./tool_bridge.ts";
import type { CallTool } from "./types.ts";

const ISOLATIONS = ["netns", "pipe"] as const;
/** Far below what the unbounded supervisor needed, far above its noise. */
const MAX_GROWTH = 300 * 1024 * 1024;

async function growth<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const before = Deno.memoryUsage().rss;
  const out = await fn();
  return [out, Deno.memoryUsage().rss - before];
}

for (const isolation of ISOLATIONS) {
  Deno.test(`kernel (${isolation}): a 100 MB tool argument is refused before it leaves`, async () => {
    const calls: string[] = [];
    const callTool: CallTool = (
      name,
    ) => (calls.push(name), Promise.resolve({ ok: true, value: 1 }));
    const t = await testKernel({ isolation, callTool });
    try {
      const [r, grew] = await growth(() =>
        t.kernel.execute("await tools.echo({ s: 'x'.repeat(100_000_000) })", { timeoutMs: 60_000 })
      );
      assert.equal(r.error?.name, "RangeError");
      assert.match(
        r.error?.message ?? "",
        /100\.0 MB of JSON, over the 16 MB a tool call may carry/,
      );
      assert.deepEqual(calls, []);
      assert.ok(grew < MAX_GROWTH, `supervisor RSS grew ${grew} bytes`);
      assert.equal((await t.kernel.execute("1 + 1")).value, 2);
    } finally {
      await t.close();
    }
  });

  Deno.test(`kernel (${isolation}): 400 MB on stdout without a newline is cut, not held`, async () => {
    const t = await testKernel({ isolation });
    try {
      await t.kernel.execute("const kept = 'yes'");
      const [r, grew] = await growth(() =>
        t.kernel.execute(
          "const b = new Uint8Array(4 << 20).fill(97);\n" +
            "for (let i = 0; i < 100; i++) Deno.stdout.writeSync(b);\n'written'",
          { timeoutMs: 120_000 },
        )
      );
      assert.ok(grew < MAX_GROWTH, `supervisor RSS grew ${grew} bytes`);
      if (isolation === "netns") {
        // Deno's stdout is the kernel's stderr there: plain output, one line cut at 64 KiB.
        assert.equal(r.value, "written");
        assert.ok(r.stdout.length + r.stderr.length <= 70_000, `${r.stderr.length} kept`);
      } else {
        // There stdout is the CDP pipe: a line over the message cap ends the kernel.
        assert.equal(r.error?.name, "KernelCrashed");
        assert.match(r.error?.message ?? "", /message_limit/);
        assert.deepEqual(r.restart?.restored, ["kept"]);
      }
      assert.equal((await t.kernel.execute("kept")).value, "yes");
    } finally {
      await t.close();
    }
  });

  Deno.test(`kernel (${isolation}): a 70 MB exception ends at the message cap`, async () => {
    const t = await testKernel({ isolation });
    try {
      const [r, grew] = await growth(() =>
        t.kernel.execute("throw new Error('e'.repeat(70_000_000))", { timeoutMs: 60_000 })
      );
      assert.equal(r.error?.name, "KernelCrashed");
      // Over the 64 MiB message cap; or the kernel's own RSS cap stops it first, encoding it.
      assert.match(r.error?.message ?? "", /message_limit|rss_limit/);
      assert.ok(grew < MAX_GROWTH, `supervisor RSS grew ${grew} bytes`);
      assert.equal((await t.kernel.execute("2 + 2")).value, 4);
    } finally {
      await t.close();
    }
  });
}

Deno.test("kernel: 100,000 tool calls at once run 16 at a time, the rest wait or are refused", async () => {
  let running = 0;
  let most = 0;
  let calls = 0;
  const callTool: CallTool = async () => {
    calls++;
    most = Math.max(most, ++running);
    await new Promise((r) => setTimeout(r, 1));
    running--;
    return { ok: true, value: 1 };
  };
  const t = await testKernel({ callTool });
  try {
    const [r, grew] = await growth(() =>
      t.kernel.execute(
        "const ps = Array.from({ length: 100_000 }, (_, i) => tools.t({ i }));\n" +
          // Results settle while the loop runs too (CDP interrupts it): count what came back.
          "const all = await Promise.allSettled(ps.slice(16 + 10_000));\n" +
          "const first = await ps[0];\n" +
          "const why = [...new Set(all.filter((x) => x.status === 'rejected')" +
          ".map((x) => String(x.reason.message)))];\n" +
          "[first, all.filter((x) => x.status === 'rejected').length, why]",
        { timeoutMs: 60_000 },
      )
    );
    assert.equal(r.ok, true, JSON.stringify(r.error));
    const [first, refused, why] = r.value as [number, number, string[]];
    assert.equal(first, 1);
    assert.ok(refused > 50_000, `${refused} refused`);
    // Refused in the kernel, with a clear error: none reached the supervisor's own cap.
    assert.equal(why.length, 1, why.join(" | "));
    assert.match(why[0]!, /10000 tool calls are already waiting \(at most 16 run at once\)/);
    assert.ok(most <= MAX_TOOL_CALLS_IN_FLIGHT, `${most} ran at once`);
    assert.ok(calls < 100_000);
    assert.ok(grew < MAX_GROWTH, `supervisor RSS grew ${grew} bytes`);
  } finally {
    await t.close();
  }
});

Deno.test("the tool bridge refuses a tampered kernel's calls past the cap and its oversize call", async () => {
  const settled: [number, boolean, string][] = [];
  const never: CallTool = () => new Promise(() => {});
  const { logger } = memoryLogger();
  const bridge = new ToolBridge("s", logger, never, (id, ok, json) => {
    settled.push([id, ok, json]);
    return Promise.resolve();
  });
  for (let id = 1; id <= 40; id++) {
    bridge.handle(JSON.stringify({ t: "tool", id, name: "x", args: {} }));
  }
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(bridge.inFlight, MAX_TOOL_CALLS_IN_FLIGHT);
  assert.equal(settled.length, 40 - MAX_TOOL_CALLS_IN_FLIGHT);
  assert.ok(settled.every(([, ok, json]) => !ok && /ToolCallLimit/.test(json)));
  bridge.handle(`{"t":"tool","id":99,"name":"x","args":"${"y".repeat(16_000_000)}"}`);
  await new Promise((r) => setTimeout(r, 0));
  assert.match(settled.at(-1)![2], /ToolArgumentsTooLarge/);
  assert.equal(settled.at(-1)![0], 99);
});

Deno.test("late errors from a kernel are logged at a bounded rate and cut short", () => {
  const { logger, records } = memoryLogger();
  const bridge = new ToolBridge("s", logger, undefined, () => Promise.resolve());
  const huge = "z".repeat(1_000_000);
  for (let i = 0; i < 10_000; i++) {
    bridge.handle(JSON.stringify({ t: "late_error", error: { name: "Error", message: huge } }));
  }
  const logged = records.filter((r) => r.event === "kernel_late_error");
  assert.equal(logged.length, 10);
  assert.ok(JSON.stringify(logged).length < 20_000);
});
