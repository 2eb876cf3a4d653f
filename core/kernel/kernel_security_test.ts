/**
 * Escape attempts against the kernel sandbox. Each must fail inside the kernel and leave the
 * supervisor healthy: the secret outside the workspace unchanged, nothing written outside,
 * the supervisor's prototypes clean, and the kernel still answering.
 */
import assert from "node:assert/strict";
import type { CellResult } from "./types.ts";
import { shared, testKernel } from "./_testing.ts";

const skills = await Deno.makeTempDir({ prefix: "kernel-skills-" });
await Deno.writeTextFile(`${skills}/skill.ts`, "export const skill = 1;\n");
// Every case runs against both inspector transports (the pipe where namespaces are refused).
const kernels = {
  netns: await testKernel({ learnedSkillsDir: skills, isolation: "netns" }),
  pipe: await testKernel({ learnedSkillsDir: skills, isolation: "pipe" }),
};
const t = kernels.netns;
const SECRET = `${t.root}/secret.txt`;
await Deno.writeTextFile(SECRET, "TOP SECRET");
// Under netns the inspector listens on this port of the kernel's own loopback.
const INSPECTOR_PORT = 9229;

type Case = { name: string; code: string; check?(r: CellResult): void; timeoutMs?: number };
const denied = (re: RegExp) => (r: CellResult) => {
  assert.equal(r.ok, false, `expected a failure, got ${r.display}`);
  assert.match(`${r.error?.name}: ${r.error?.message}`, re);
};
const NOT_CAPABLE = /NotCapable|PermissionDenied|Requires .* access/;

const CASES: Case[] = [
  {
    name: "read /etc/passwd",
    code: "await Deno.readTextFile('/etc/passwd')",
    check: denied(NOT_CAPABLE),
  },
  {
    name: "path traversal out of the workspace",
    code: "await Deno.readTextFile('../secret.txt')",
    check: denied(NOT_CAPABLE),
  },
  {
    name: "absolute path outside",
    code: `await Deno.readTextFile(${JSON.stringify(SECRET)})`,
    check: denied(NOT_CAPABLE),
  },
  {
    name: "file:// URL outside",
    code: `await Deno.readTextFile(new URL("file://${SECRET}"))`,
    check: denied(NOT_CAPABLE),
  },
  {
    name: "fetch of a file:// URL",
    code: `await (await fetch("file://${SECRET}")).text()`,
    check: denied(NOT_CAPABLE),
  },
  {
    name: "write outside the workspace",
    code: "await Deno.writeTextFile('../pwned.txt', 'x')",
    check: denied(NOT_CAPABLE),
  },
  {
    name: "write into learned_skills (read-only)",
    code: `await Deno.writeTextFile(${JSON.stringify(`${skills}/evil.ts`)}, 'x')`,
    check: denied(NOT_CAPABLE),
  },
  {
    name: "node:fs read outside",
    code: `(await import('node:fs')).readFileSync(${JSON.stringify(SECRET)}, 'utf8')`,
    check: denied(NOT_CAPABLE),
  },
  {
    name: "symlink to a file outside",
    code: `await Deno.symlink(${JSON.stringify(SECRET)}, 'link.txt')`,
    check: denied(NOT_CAPABLE),
  },
  {
    name: "hard link to a file outside",
    code: `await Deno.link(${JSON.stringify(SECRET)}, 'hard.txt')`,
    check: denied(NOT_CAPABLE),
  },
  {
    name: "read /proc/self/environ",
    code: "Deno.readTextFileSync('/proc/self/environ')",
    check: denied(NOT_CAPABLE),
  },
  {
    name: "read /proc/self/maps",
    code: "Deno.readTextFileSync('/proc/self/maps')",
    check: denied(NOT_CAPABLE),
  },
  {
    name: "fetch a loopback HTTP server",
    code: "await fetch('http://127.0.0.1:5432/')",
    check: denied(NOT_CAPABLE),
  },
  {
    name: "fetch its own inspector port",
    code: `await fetch("http://127.0.0.1:${INSPECTOR_PORT}/json/list")`,
    check: denied(NOT_CAPABLE),
  },
  {
    name: "WebSocket to its own inspector",
    code: `new WebSocket("ws://127.0.0.1:${INSPECTOR_PORT}/")`,
    check: denied(NOT_CAPABLE),
  },
  {
    name: "Deno.connect",
    code: "await Deno.connect({ hostname: '127.0.0.1', port: 6379 })",
    check: denied(NOT_CAPABLE),
  },
  {
    name: "DNS lookup",
    code: "await Deno.resolveDns('example.com', 'A')",
    check: denied(NOT_CAPABLE),
  },
  {
    name: "import() of https: code",
    code: "await import('https://esm.sh/left-pad@1.3.0')",
    check: denied(/import access|NotCapable|not found|Requires/),
  },
  {
    name: "import() of an uncached npm: package",
    code: "await import('npm:left-pad@1.3.0')",
    check: denied(/not found in cache|cached-only|NotCapable|Error/),
  },
  {
    name: "import() of a file outside",
    code: `await import(${JSON.stringify(`file://${t.root}/outside.ts`)})`,
    check: denied(NOT_CAPABLE),
  },
  {
    name: "Deno.Command",
    code: "await new Deno.Command('/bin/sh', { args: ['-c', 'id'] }).output()",
    check: denied(NOT_CAPABLE),
  },
  {
    name: "node:child_process",
    code: "(await import('node:child_process')).execFileSync('/bin/id')",
    check: denied(NOT_CAPABLE),
  },
  { name: "Deno.dlopen of libc", code: "Deno.dlopen('libc.so.6', {})", check: denied(NOT_CAPABLE) },
  { name: "Deno.env", code: "Deno.env.toObject()", check: denied(NOT_CAPABLE) },
  {
    name: "env through node:process",
    code: "(await import('node:process')).default.env.HOME",
    check: denied(NOT_CAPABLE),
  },
  { name: "KV store", code: "await Deno.openKv()", check: denied(/not a function|openKv/) },
  { name: "sys information", code: "Deno.hostname()", check: denied(NOT_CAPABLE) },
  { name: "signal another process", code: "Deno.kill(1, 'SIGKILL')", check: denied(NOT_CAPABLE) },
  {
    name: "ask for more permissions",
    code: "(await Deno.permissions.request({ name: 'net' })).state",
    check: (r) => assert.equal(r.value, "denied"),
  },
  {
    name: "read frames from stdin",
    code: "await Deno.stdin.read(new Uint8Array(16))",
    check: (r) => assert.equal(r.value, null),
  },
  {
    name: "nested Worker bomb",
    code:
      "for (let i = 0; i < 1000; i++) new Worker('data:text/javascript,while(true){}', { type: 'module' })",
    check: denied(/Workers are disabled/),
  },
  {
    name: "node:worker_threads Worker bomb",
    code: "const wt = await import('node:worker_threads');\n" +
      "for (let i = 0; i < 1000; i++) new wt.default.Worker('while(true){}', { eval: true })",
    check: denied(/Workers are disabled/),
  },
  {
    name: "node:worker_threads Worker given its parent class back",
    code: "const wt2 = await import('node:worker_threads');\n" +
      "Object.setPrototypeOf(wt2.Worker, Object.getPrototypeOf(Function))",
    check: denied(/not extensible/),
  },
  {
    name: "sync infinite loop",
    code: "while (true) {}",
    timeoutMs: 300,
    check: denied(/TimeoutError/),
  },
  {
    name: "async infinite loop",
    code: "while (true) await null",
    timeoutMs: 300,
    check: denied(/TimeoutError/),
  },
  {
    name: "regular-expression bomb",
    code: "/^(a+)+$/.test('a'.repeat(40) + 'b')",
    timeoutMs: 300,
    check: denied(/TimeoutError/),
  },
  {
    name: "huge return value",
    code: "'x'.repeat(50_000_000)",
    check: (r) => {
      assert.equal("value" in r, false);
      assert.ok(r.display.length < 25_000);
    },
  },
  {
    name: "returning a __proto__ key to the host",
    code: 'JSON.parse(\'{"__proto__": {"polluted": 1}, "a": 1}\')',
    check: (r) => {
      assert.deepEqual(r.value, { a: 1 });
      assert.equal(
        Object.assign({}, r.value as object, {} as Record<string, unknown>).constructor,
        Object,
      );
    },
  },
];

for (const [mode, k] of Object.entries(kernels)) {
  for (const c of CASES) {
    Deno.test({ name: `kernel sandbox (${mode}) stops: ${c.name}`, ...shared }, async () => {
      // The same paths for both kernels: the secret (outside both workspaces) is in t.root.
      const r = await k.kernel.execute(c.code, { timeoutMs: c.timeoutMs ?? 10_000 });
      c.check?.(r);
      // The supervisor is healthy and the kernel kept its state and answers.
      assert.equal(await Deno.readTextFile(SECRET), "TOP SECRET");
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      await assert.rejects(Deno.stat(`${t.root}/pwned.txt`));
      await assert.rejects(Deno.stat(`${k.root}/pwned.txt`));
      const after = await k.kernel.execute("1 + 1");
      assert.equal(after.value, 2);
    });
  }
}

Deno.test({ name: "kernel sandbox can read learned_skills", ...shared }, async () => {
  const r = await t.kernel.execute(
    `await Deno.readTextFile(${JSON.stringify(`${skills}/skill.ts`)})`,
  );
  assert.match(String(r.value), /export const skill/);
});

Deno.test({ name: "kernel getVariable drops __proto__ keys", ...shared }, async () => {
  await t.kernel.execute('const proto1 = JSON.parse(\'{"__proto__": {"x": 1}, "b": 2}\')');
  const v = await t.kernel.getVariable("proto1");
  assert.deepEqual(v, { b: 2 });
  assert.equal(Object.hasOwn(v as object, "__proto__"), false);
});

Deno.test({ name: "kernel sandbox suite closes its kernels", ...shared }, async () => {
  await kernels.netns.close();
  await kernels.pipe.close();
  await Deno.remove(skills, { recursive: true });
});

Deno.test("kernel refuses a workspace holding a symlink out of it", async () => {
  const root = await Deno.makeTempDir();
  await Deno.mkdir(`${root}/ws`);
  await Deno.writeTextFile(`${root}/secret.txt`, "s");
  await Deno.symlink(`${root}/secret.txt`, `${root}/ws/link.txt`);
  const { Kernel } = await import("./kernel.ts");
  const { memoryLogger } = await import("../log.ts");
  await assert.rejects(
    Kernel.start({ sessionId: "x", workspaceDir: `${root}/ws`, log: memoryLogger().logger }),
    /holds links that escape it: .*link\.txt/,
  );
  await Deno.remove(root, { recursive: true });
});

Deno.test("kernel refuses a workspace holding a hard link to an outside file", async () => {
  const root = await Deno.makeTempDir();
  await Deno.mkdir(`${root}/ws`);
  await Deno.writeTextFile(`${root}/secret.txt`, "s");
  await Deno.link(`${root}/secret.txt`, `${root}/ws/hard.txt`);
  const { Kernel } = await import("./kernel.ts");
  const { memoryLogger } = await import("../log.ts");
  await assert.rejects(
    Kernel.start({ sessionId: "x", workspaceDir: `${root}/ws`, log: memoryLogger().logger }),
    /hard\.txt/,
  );
  await Deno.remove(root, { recursive: true });
});
