/** Tests of the shared RSS probe: one helper for all watched pids, restart, stop on last leave. */
import assert from "node:assert/strict";
import { rssProbe } from "./subprocess_rss_probe.ts";
import { readRssBytes, SubprocessHost } from "./subprocess_host.ts";
import { denoBinary } from "./subprocess_command.ts";
import { memoryLogger } from "./log.ts";

const ENTRY = new URL("./testdata/echo_child.ts", import.meta.url);

/** A child that idles until killed. */
function idleChild(): Deno.ChildProcess {
  return new Deno.Command(denoBinary(), {
    args: ["eval", "setInterval(() => {}, 1e9)"],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
}

/** Resolves with the first sample the listener sees (or throws after ~10 s). */
function firstSample(): { listener: (b: number | undefined) => void; sample: Promise<number> } {
  const p = Promise.withResolvers<number>();
  const timer = setTimeout(() => p.reject(new Error("no RSS sample within 10 s")), 10_000);
  return {
    listener: (b) => {
      if (b !== undefined) clearTimeout(timer), p.resolve(b);
    },
    sample: p.promise,
  };
}

async function killChild(c: Deno.ChildProcess): Promise<void> {
  c.kill("SIGKILL");
  await c.status;
}

Deno.test("rss probe watches several pids with one helper and stops after the last leaves", async () => {
  const a = idleChild(), b = idleChild();
  const starts = rssProbe.starts;
  const sa = firstSample(), sb = firstSample();
  const unwatchA = rssProbe.watch(a.pid, sa.listener);
  const helper = rssProbe.pid;
  const unwatchB = rssProbe.watch(b.pid, sb.listener);
  assert.equal(rssProbe.pid, helper, "the second watch reuses the running helper");
  const [ra, rb] = await Promise.all([sa.sample, sb.sample]);
  assert.ok(ra > 1e6 && rb > 1e6, `RSS samples look like a process's: ${ra}, ${rb}`);
  assert.equal(rssProbe.starts, starts + 1);
  await unwatchA();
  assert.equal(rssProbe.pid, helper, "a helper with watchers left keeps running");
  await unwatchB();
  assert.equal(rssProbe.pid, undefined);
  assert.equal(rssProbe.watching, 0);
  await killChild(a), await killChild(b);
});

Deno.test("rss probe restarts its helper when it dies while pids are watched", async () => {
  const a = idleChild();
  const first = firstSample();
  let current = first.listener;
  const unwatch = rssProbe.watch(a.pid, (bytes) => current(bytes));
  await first.sample;
  const helper = rssProbe.pid!;
  const again = firstSample();
  current = () => {};
  Deno.kill(helper, "SIGKILL");
  for (let i = 0; i < 500 && (rssProbe.pid === helper || rssProbe.pid === undefined); i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.notEqual(rssProbe.pid, undefined);
  assert.notEqual(rssProbe.pid, helper, "a fresh helper replaced the dead one");
  current = again.listener;
  assert.ok(await again.sample > 1e6, "the fresh helper still samples the watched pid");
  await unwatch();
  await killChild(a);
});

Deno.test({
  name: "subprocess hosts with an RSS cap share one probe helper",
  // With --allow-all the host reads /proc itself and needs no helper.
  ignore: readRssBytes(Deno.pid) !== undefined,
  async fn() {
    const starts = rssProbe.starts;
    const hosts = [1, 2, 3].map((i) =>
      new SubprocessHost({
        name: `echo-${i}`,
        entry: ENTRY,
        permissions: {},
        rssMb: 500,
        log: memoryLogger().logger,
        onFrame: () => {},
      })
    );
    for (const h of hosts) await h.start();
    assert.equal(rssProbe.watching, 3);
    assert.equal(rssProbe.starts, starts + 1, "one helper for three hosts");
    for (let i = 0; i < 500 && hosts.some((h) => h.rssBytes() === undefined); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    for (const h of hosts) assert.ok((h.rssBytes() ?? 0) > 1e6, `${h.pid} has an RSS sample`);
    await hosts[0]!.kill();
    assert.equal(rssProbe.watching, 2);
    assert.notEqual(rssProbe.pid, undefined);
    for (const h of hosts.slice(1)) await h.kill();
    assert.equal(rssProbe.watching, 0);
    assert.equal(rssProbe.pid, undefined, "the last host to close stopped the helper");
  },
});
