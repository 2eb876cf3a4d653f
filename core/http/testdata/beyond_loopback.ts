/**
 * Run inside a private network namespace whose loopback also carries 192.0.2.1 (TEST-NET-1), by
 * api_token_test.ts: starts `deno task start` bound to that non-loopback address twice, as users
 * run it, attacks it from the namespace, and prints what it saw as one JSON line on stdout.
 */
const [dataDir] = Deno.args;
const ADDR = { hostname: "192.0.2.1", port: 18080 };
const base = `http://${ADDR.hostname}:${ADDR.port}`;

async function start(): Promise<{ child: Deno.ChildProcess; stderr: () => string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["task", "--quiet", "start"],
    // The caller's environment is already clean (api_token_test.ts clears it).
    env: { HOST: ADDR.hostname, PORT: String(ADDR.port), DATA_DIR: dataDir! },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let text = "";
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  while (!text.includes('"event":"http_listening"')) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`daemon exited before listening:\n${text}`);
    text += value;
  }
  (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      text += value;
    }
  })();
  return { child, stderr: () => text };
}

async function status(path: string, init: RequestInit = {}): Promise<number> {
  const res = await fetch(base + path, init);
  await res.body?.cancel();
  return res.status;
}

async function stop(child: Deno.ChildProcess): Promise<void> {
  child.kill("SIGTERM");
  await child.status;
}

const first = await start();
const printed = /^ {2}(\S{40,})$/m.exec(first.stderr())?.[1];
const bearer = { authorization: `Bearer ${printed}` };
const result = {
  printedOnce: (first.stderr().match(/API token generated/g) ?? []).length,
  tokenInJsonLog: printed !== undefined &&
    first.stderr().split("\n").some((l) => l.startsWith("{") && l.includes(printed)),
  fileMode: (Deno.statSync(`${dataDir}/api_token`).mode! & 0o777).toString(8),
  fileMatches: Deno.readTextFileSync(`${dataDir}/api_token`).trim() === printed,
  noToken: {
    status: await status("/api/status"),
    metrics: await status("/metrics"),
    deactivateGet: await status("/vtuber/control?action=deactivate"),
    deactivatePost: await status("/vtuber/control?action=deactivate", { method: "POST" }),
    scbPost: await status("/scb/control?action=deactivate", { method: "POST" }),
    cycle: await status("/api/cycle", { method: "POST" }),
    health: await status("/health"),
    apiHealth: await status("/api/health"),
  },
  withToken: {
    status: await status("/api/status", { headers: bearer }),
    scbPost: await status("/scb/control?action=status", { method: "POST", headers: bearer }),
  },
  restart: {} as Record<string, unknown>,
};
await stop(first.child);
const second = await start();
result.restart = {
  printedAgain: second.stderr().includes("API token generated"),
  loaded: second.stderr().includes('"event":"api_token_loaded"'),
  status: await status("/api/status", { headers: bearer }),
};
await stop(second.child);
console.log(JSON.stringify(result));
