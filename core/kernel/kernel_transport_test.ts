/**
 * The kernel's inspector transports (netns and pipe, core/inspector_isolation.ts) under attack:
 * another local user looking for an inspector to drive, a kernel forging the inspector's own
 * lines, a supervisor that dies, a cell that spins.
 */
import assert from "node:assert/strict";
import { testKernel } from "./_testing.ts";

const ISOLATIONS = ["netns", "pipe"] as const;
const ATTACKER = new URL("./testdata/inspector_attacker.pl", import.meta.url).pathname;
const CI = Deno.env.get("CI") === "true";
const ROOT = Deno.uid() === 0;

/** Runs the attacker as uid/gid 65534 (nobody); its script is copied where nobody may read it. */
async function attackAsNobody(target: string, pids: number[]): Promise<string[]> {
  const dir = await Deno.makeTempDir({ prefix: "attacker-" });
  await Deno.chmod(dir, 0o755);
  await Deno.copyFile(ATTACKER, `${dir}/attacker.pl`);
  await Deno.chmod(`${dir}/attacker.pl`, 0o644);
  const out = await new Deno.Command("setpriv", {
    args: [
      "--reuid=65534",
      "--regid=65534",
      "--clear-groups",
      "perl",
      `${dir}/attacker.pl`,
      target,
      ...pids.map(String),
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  await Deno.remove(dir, { recursive: true });
  const lines = new TextDecoder().decode(out.stdout).trim().split("\n");
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  assert.match(lines.at(-1) ?? "", /^DONE \d+$/);
  return lines.slice(0, -1);
}

/** A process with Deno's inspector on the host's loopback, as `loopback` isolation had. */
async function decoyInspector() {
  const dir = await Deno.makeTempDir({ prefix: "decoy-" });
  // Named uniquely: runs in parallel (other checkouts, CI) must not attack each other's decoy.
  const name = `decoy_${crypto.randomUUID().slice(0, 8)}.ts`;
  await Deno.writeTextFile(`${dir}/${name}`, "setInterval(() => {}, 1000);\n");
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-config", "--inspect=127.0.0.1:0", `${dir}/${name}`],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!/Debugger listening/.test(seen)) {
    const { value, done } = await reader.read();
    if (done) throw new Error("decoy did not start");
    seen += value;
  }
  return {
    pid: child.pid,
    name,
    async stop() {
      child.kill("SIGKILL");
      await child.status;
      await reader.cancel();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test({
  name: "another local user cannot drive a kernel, with either transport (as uid 65534)",
  // Switching uid needs root; CI runs as root and must run it.
  ignore: !ROOT && !CI,
}, async () => {
  assert.ok(ROOT, "this attack needs root to run the attacker as another uid (setpriv)");
  const calls: string[] = [];
  const callTool = (name: string) => {
    calls.push(name);
    return Promise.resolve({ ok: true as const, value: "called" });
  };
  const kernels = await Promise.all(
    ISOLATIONS.map((isolation) => testKernel({ isolation, callTool })),
  );
  const decoy = await decoyInspector();
  try {
    const pids = [...kernels.map((k) => k.kernel.pid!), decoy.pid];
    // Every kernel on this machine is a target; of decoys, only ours.
    const target = `(kernel/inside/entry\\.ts|${decoy.name.replace(".", "\\.")})`;
    const report = await attackAsNobody(target, pids);
    // The attack works: an inspector on the host's loopback is driven by another user.
    assert.deepEqual(report.filter((l) => l.startsWith("PWNED")).map((l) => l.split(" ")[2]), [
      String(decoy.pid),
    ]);
    // No kernel was reached, neither by its inspector nor through its stdin/stdout pipes.
    assert.deepEqual(report.filter((l) => !l.startsWith("PWNED")), []);
    for (const k of kernels) {
      const r = await k.kernel.execute("typeof globalThis.__pwned");
      assert.equal(r.value, "undefined");
    }
    assert.deepEqual(calls, []);
  } finally {
    await decoy.stop();
    for (const k of kernels) await k.close();
  }
});

Deno.test("a netns kernel's inspector exists only in its own network namespace", async () => {
  const t = await testKernel({ isolation: "netns" });
  // `readlink` (Deno wants --allow-all for /proc/<pid> paths; the test task has not).
  const ns = async (pid: number | string) => {
    const out = await new Deno.Command("readlink", { args: [`/proc/${pid}/ns/net`] }).output();
    return new TextDecoder().decode(out.stdout).trim();
  };
  assert.notEqual(await ns(t.kernel.pid!), await ns(Deno.pid));
  // Deno's inspector port in the namespace answers nothing on the host's loopback.
  const seen = await fetch("http://127.0.0.1:9229/json/list").then((r) => r.text()).catch(() => "");
  assert.ok(!seen.includes("kernel/inside/entry.ts"), "a kernel's inspector answered on the host");
  assert.equal((await t.kernel.execute("6 * 7")).value, 42);
  await t.close();
});

for (const isolation of ISOLATIONS) {
  Deno.test(`a kernel (${isolation}) forging the inspector's lines changes nothing`, async () => {
    const t = await testKernel({ isolation });
    await t.kernel.execute("let kept = 'yes'");
    const r = await t.kernel.execute(
      "const e = new TextEncoder();\n" +
        "Deno.stderr.writeSync(e.encode('Waiting for the debugger to disconnect...\\n' + " +
        "'Debugger session started.\\nDebugger session started.\\n'));\n" +
        // A forged CDP reply and a forged ready frame on stdout (the pipe's channel).
        'Deno.stdout.writeSync(e.encode(\'\\u001e{"id":1,"result":{}}\\n\\u001e{"type":"ready"}\\n\'));' +
        "\n'forged'",
    );
    assert.equal(r.value, "forged");
    // The session was not dropped and no intrusion was reported: the kernel runs on.
    await new Promise((resolve) => setTimeout(resolve, 1_200)); // past the forged line's check
    const after = await t.kernel.execute("kept");
    assert.equal(after.value, "yes");
    assert.equal(after.restart, undefined);
    assert.ok(!t.records.some((x) => x.level === "error"), JSON.stringify(t.records));
    assert.ok(!t.records.some((x) => x.event === "kernel_restart"));
    await t.close();
  });

  Deno.test(`a kernel (${isolation}) stops a spinning cell and keeps its data`, async () => {
    const t = await testKernel({ isolation });
    await t.kernel.execute("const rows = [1, 2, 3]");
    const r = await t.kernel.execute("while (true) {}", { timeoutMs: 300 });
    assert.equal(r.error?.name, "TimeoutError");
    // netns interrupts the spin in place; the pipe cannot (one thread): it restarts the kernel.
    if (isolation === "netns") assert.equal(r.restart, undefined);
    else assert.deepEqual(r.restart?.restored, ["rows"]);
    assert.deepEqual((await t.kernel.execute("rows")).value, [1, 2, 3]);
    await t.close();
  });

  Deno.test(`a kernel (${isolation}) dies with its supervisor`, async () => {
    const cwd = await Deno.makeTempDir({ prefix: "orphan-" });
    // A supervisor in its own process, killed with SIGKILL: nothing of it runs any more.
    await Deno.writeTextFile(
      `${cwd}/supervisor.ts`,
      `import { Kernel } from ${JSON.stringify(new URL("./kernel.ts", import.meta.url).href)};
import { memoryLogger } from ${JSON.stringify(new URL("../log.ts", import.meta.url).href)};
await Deno.mkdir(${JSON.stringify(`${cwd}/ws`)});
const k = await Kernel.start({ sessionId: "orphan", workspaceDir: ${JSON.stringify(`${cwd}/ws`)},
  isolation: ${JSON.stringify(isolation)}, log: memoryLogger().logger });
console.log(JSON.stringify({ pid: k.pid }));
setInterval(() => {}, 1000);
`,
    );
    const sup = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--no-prompt",
        "-A",
        `--config=${new URL("../../deno.json", import.meta.url).pathname}`,
        `${cwd}/supervisor.ts`,
      ],
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const reader = sup.stdout.pipeThrough(new TextDecoderStream()).getReader();
    const { pid } = JSON.parse((await reader.read()).value!);
    const alive = () => {
      try {
        Deno.kill(pid, "SIGCONT");
        return true;
      } catch {
        return false;
      }
    };
    assert.ok(alive());
    sup.kill("SIGKILL");
    await sup.status;
    await reader.cancel();
    for (let i = 0; i < 200 && alive(); i++) await new Promise((r) => setTimeout(r, 25));
    const outlived = alive();
    if (outlived) Deno.kill(pid, "SIGKILL");
    assert.equal(outlived, false, "the kernel outlived its supervisor");
    await Deno.remove(cwd, { recursive: true });
  });
}
