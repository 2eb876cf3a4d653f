/**
 * A hostile module inside the supervisor (what a tool file or an npm dependency could be), run
 * by core/sandbox/supervisor_attack_test.ts with the supervisor's permissions. It tries every
 * way it knows to read a secret it has no read permission for and prints one JSON line per
 * attempt: `{ attack, out }`, `out` being everything it got back.
 * Arguments: secret directory, a directory it may write, the launcher's path.
 */
const [SECRET_DIR, W, LAUNCHER] = Deno.args as [string, string, string];
const SECRET_TXT = `${SECRET_DIR}/secret.txt`;
const SECRET_TS = `${SECRET_DIR}/secret.ts`;
const dec = new TextDecoder();
const enc = new TextEncoder();

async function run(cmd: string, args: string[], env?: Record<string, string>): Promise<string> {
  try {
    const o = await new Deno.Command(cmd, { args, stdin: "null", ...(env ? { env } : {}) })
      .output();
    return `exit ${o.code}: ${dec.decode(o.stdout)} ${dec.decode(o.stderr)}`;
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
}

async function grant(dir: string): Promise<string> {
  const id = "0123456789abcdef";
  const secret = "0123456789abcdef0123456789abcdef";
  await Deno.writeTextFile(`${dir}/.sandbox-grant-${id}`, secret);
  return `--grant=${dir}=${id}:${secret}`;
}

/** Starts a pipe kernel through the launcher in `ws` and evaluates `expression` in it. */
async function kernelEval(ws: string, expression: string): Promise<string> {
  const child = new Deno.Command(LAUNCHER, {
    args: [
      "kernel",
      await grant(ws),
      `--workspace=${ws}`,
      "--heap-mb=128",
      "--output-limit=1000",
      "--transport=pipe",
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  const until = async (re: RegExp) => {
    while (!re.test(seen)) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += value;
    }
  };
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  await until(/"type":"ready"/);
  const params = { expression, replMode: true, awaitPromise: true, returnByValue: true };
  await writer.write(
    enc.encode(`\u001e${JSON.stringify({ id: 1, method: "Runtime.evaluate", params })}\n`),
  );
  await until(/"id":1/);
  clearTimeout(timer);
  child.kill("SIGKILL");
  await child.status;
  return seen + dec.decode((await child.stderr.getReader().read()).value ?? new Uint8Array());
}

const attacks: Record<string, () => Promise<string>> = {
  deno_eval: () => run("deno", ["eval", `console.log(Deno.readTextFileSync("${SECRET_TXT}"))`]),
  deno_exec_path: () =>
    run(Deno.execPath(), ["eval", `console.log(Deno.readTextFileSync("${SECRET_TXT}"))`]),
  unshare_sh: () =>
    run("unshare", ["--user", "--map-root-user", "/bin/sh", "-c", `cat ${SECRET_TXT}`]),
  sh: () => run("/bin/sh", ["-c", `cat ${SECRET_TXT}`]),
  perl: () => run("perl", ["-e", "print <>", SECRET_TXT]),
  read_directly: async () => {
    try {
      return await Deno.readTextFile(SECRET_TXT);
    } catch (e) {
      return `${(e as Error).name}: ${(e as Error).message}`;
    }
  },
  launcher_kernel_without_grant: () =>
    run(LAUNCHER, [
      "kernel",
      `--workspace=${SECRET_DIR}`,
      "--heap-mb=64",
      "--output-limit=10",
      "--transport=pipe",
    ]),
  launcher_forged_grant: () =>
    run(LAUNCHER, [
      "kernel",
      `--grant=${SECRET_DIR}=0123456789abcdef:0123456789abcdef0123456789abcdef`,
      `--workspace=${SECRET_DIR}`,
      "--heap-mb=64",
      "--output-limit=10",
      "--transport=pipe",
    ]),
  launcher_grant_in_secret_dir: async () => {
    try {
      return await grant(SECRET_DIR);
    } catch (e) {
      return `${(e as Error).name}: ${(e as Error).message}`;
    }
  },
  launcher_dotdot: async () =>
    run(LAUNCHER, [
      "kernel",
      await grant(W),
      `--workspace=${W}/../${SECRET_DIR.split("/").pop()}`,
      "--heap-mb=64",
      "--output-limit=10",
      "--transport=pipe",
    ]),
  launcher_extra_flags: async () =>
    run(LAUNCHER, [
      "kernel",
      await grant(W),
      `--workspace=${W}`,
      "--heap-mb=64",
      "--output-limit=10",
      "--transport=pipe",
      "--allow-read=/",
    ]),
  launcher_kernel_reads: () =>
    kernelEval(
      W,
      `(() => { try { return Deno.readTextFileSync("${SECRET_TXT}") } ` +
        `catch (e) { return String(e) } })()`,
    ),
  launcher_kernel_imports: async () => {
    await Deno.writeTextFile(`${W}/k.ts`, `export { KEY } from "${SECRET_TS}";\n`);
    return await kernelEval(
      W,
      `await (async () => { try { return (await import("${W}/k.ts")).KEY } ` +
        `catch (e) { return String(e) } })()`,
    );
  },
  launcher_check_leaks_type: async () => {
    await Deno.mkdir(`${W}/fn`, { recursive: true });
    await Deno.writeTextFile(
      `${W}/fn/evil.ts`,
      `import { KEY } from "${SECRET_TS}";\nexport const n: number = KEY;\n`,
    );
    return await run(LAUNCHER, ["check", await grant(W), `--dir=${W}`, "--file=fn/evil.ts"]);
  },
  launcher_doc_reexport: async () => {
    await Deno.mkdir(`${W}/fn`, { recursive: true });
    await Deno.writeTextFile(`${W}/fn/doc.ts`, `export * from "${SECRET_TS}";\n`);
    return await run(LAUNCHER, ["doc", await grant(W), `--dir=${W}`, "--file=fn/doc.ts"]);
  },
  launcher_test_imports: async () => {
    await Deno.mkdir(`${W}/run/workspace`, { recursive: true });
    await Deno.mkdir(`${W}/tests`, { recursive: true });
    await Deno.writeTextFile(
      `${W}/tests/evil_test.ts`,
      `import { KEY } from "${SECRET_TS}";\nDeno.test("leak", () => console.log(KEY));\n`,
    );
    return await run(LAUNCHER, [
      "test",
      await grant(`${W}/run`),
      await grant(`${W}/tests`),
      `--scratch=${W}/run`,
      `--read=${W}/tests`,
      `--file=${W}/tests/evil_test.ts`,
      "--heap-mb=128",
    ]);
  },
  launcher_path_injection: async () => {
    await Deno.mkdir(`${W}/bin`, { recursive: true });
    await Deno.writeTextFile(`${W}/bin/deno`, `#!/bin/sh\ncat ${SECRET_TXT}\n`, { mode: 0o755 });
    await Deno.writeTextFile(`${W}/fn/ok.ts`, "export const ok = 1;\n");
    return await run(LAUNCHER, ["lint", await grant(W), `--dir=${W}`, "--file=fn/ok.ts"], {
      PATH: `${W}/bin`,
      DENO_DIR: `${W}/bin`,
    });
  },
  launcher_ld_preload: () => run(LAUNCHER, ["probe"], { LD_PRELOAD: `${W}/evil.so` }),
};

for (const [attack, fn] of Object.entries(attacks)) {
  const out = await fn().catch((e) => `threw ${(e as Error).message}`);
  console.log(JSON.stringify({ attack, out: out.slice(0, 4000) }));
}
