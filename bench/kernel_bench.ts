/**
 * Kernel and subprocess-host benchmark: spawn-to-ready and frame round trip of the host; the
 * kernel's cold start to first result, trivial cell, tool round trip, 50-line cell, interrupt
 * latency and kill-and-restore (10 MB and 100 MB of records, a 100 MB Float64Array, 100 MB of
 * nested records; checkpoint ms beside); beside an IPython kernel (jupyter_client)
 * when Debian's python3-ipykernel is installed, and beside Deno's own Jupyter kernel on the
 * cells a checkpoint or the transform could slow (kernel_peer_bench.ts). Medians, bounded run counts (shared machine).
 */
import { Kernel } from "../core/kernel/kernel.ts";
import { type Logger, memoryLogger } from "../core/log.ts";
import type { KernelOptions } from "../core/kernel/types.ts";
import { SubprocessHost } from "../core/subprocess_host.ts";
import { median, quantile, round, timeEach } from "./stats.ts";
import { CELL_50 } from "./kernel_cells.ts";
import { type KernelPeerResult, runKernelPeerBench } from "./kernel_peer_bench.ts";

const ECHO_CHILD = new URL("../core/testdata/echo_child.ts", import.meta.url);
const IPY_SCRIPT = new URL("./ipykernel_bench.py", import.meta.url).pathname;

/** Figures in milliseconds (medians unless said otherwise). */
export interface KernelBenchResult {
  host: { spawnToReadyMs: number; roundTripMs: number; roundTripP99Ms: number };
  kernel: {
    coldStartToFirstResultMs: number;
    /** Bare `deno run --inspect` to an open inspector socket, same run: the floor. */
    rawInspectSpawnMs: number;
    trivialCellMs: number;
    /** A cell that is one `await tools.noop({})` (no-op tool): cell plus one tool round trip. */
    toolCellMs: number;
    /** One tool round trip from a cell (binding event, callTool, settle), from 100 in a row. */
    toolRoundTripMs: number;
    cell50LinesMs: number;
    interruptMs: number;
    /** Medians over `rounds`: checkpoint of a fresh variable, SIGKILL to its first use. */
    restore: {
      state: string;
      bytes: number;
      checkpointMs: number;
      killToRestoredMs: number;
      rounds: number;
    }[];
  };
  ipython: Record<string, number> | { skipped: string };
  /** Beside Deno's own Jupyter kernel, interleaved (kernel_peer_bench.ts). */
  denoJupyter: KernelPeerResult | { skipped: string };
}

async function hostFigures(spawns: number, trips: number) {
  const { logger } = memoryLogger("warn");
  const startOne = async () => {
    let ready = Promise.withResolvers<void>();
    let reply = Promise.withResolvers<void>();
    const host = new SubprocessHost({
      name: "bench",
      entry: ECHO_CHILD,
      permissions: {},
      log: logger,
      onFrame: (f) => ((f as { type?: string }).type === "ready" ? ready : reply).resolve(),
    });
    await host.start();
    await ready.promise;
    return {
      host,
      async ping() {
        reply = Promise.withResolvers();
        host.send({ id: 1, op: "echo", arg: "x" });
        await reply.promise;
      },
      reset: () => (ready = Promise.withResolvers()),
    };
  };
  const spawn = await timeEach(spawns, async () => (await startOne()).host.kill());
  const h = await startOne();
  const rt = await timeEach(trips, () => h.ping());
  await h.host.kill();
  return {
    spawnToReadyMs: round(median(spawn)),
    roundTripMs: round(median(rt)),
    roundTripP99Ms: round(quantile(rt, 0.99)),
  };
}

/**
 * Baseline for the cold start: a bare `deno run --inspect=127.0.0.1:0` of an idle script until
 * its inspector WebSocket is open, measured in the same run (the machine is shared and noisy).
 */
async function rawInspectSpawn(n: number): Promise<number> {
  const idle = await Deno.makeTempFile({ suffix: ".js" });
  await Deno.writeTextFile(idle, "setInterval(() => {}, 1e9);\n");
  const times = await timeEach(n, async () => {
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--no-prompt",
        "--cached-only",
        "--no-config",
        "--no-lock",
        "--inspect=127.0.0.1:0",
        idle,
      ],
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    let m: RegExpExecArray | null = null;
    while (!(m = /ws:\/\/\S+/.exec(text))) text += (await reader.read()).value ?? "";
    const ws = new WebSocket(m[0]);
    await new Promise((r) => ws.addEventListener("open", r, { once: true }));
    ws.close();
    child.kill("SIGKILL");
    await child.status;
    await reader.cancel().catch(() => {});
  });
  await Deno.remove(idle);
  return round(median(times));
}

async function workspace(): Promise<string> {
  return `${await Deno.makeTempDir({ prefix: "kernel-bench-" })}/ws`;
}

/** The kernel the warm figures and restores run in: room for 100 MB of state and its copies. */
function bigKernel(dir: string, log: Logger, callTool?: KernelOptions["callTool"]) {
  return Kernel.start({
    sessionId: "b",
    workspaceDir: dir,
    log,
    heapMb: 2048,
    rssMb: 4096,
    ...(callTool ? { callTool } : {}),
  });
}

const objects = (n: number) =>
  `Array.from({ length: ${n} }, (_, i) => ({ id: i, name: "row-" + i, score: i / 3 }))`;
/** Rows with an array and an object inside: not flat records, so plain `v8.serialize`. */
const nested = (n: number) =>
  `Array.from({ length: ${n} }, (_, i) => ({ id: i, name: "row-" + i, tags: ["a", "b" + (i % 9)], pos: { x: i / 7, y: -i } }))`;
const RESTORE_CASES = [
  { name: "10 MB of objects", n: 225_000, make: objects(225_000) },
  { name: "100 MB of objects", n: 2_250_000, make: objects(2_250_000) },
  { name: "100 MB Float64Array", n: 12_500_000, make: "new Float64Array(12_500_000).fill(1.5)" },
  { name: "100 MB of nested objects", n: 1_300_000, make: nested(1_300_000) },
];

/**
 * Kill-and-restore: per case and round, a fresh variable is created and checkpointed (a new
 * name, so the checkpoint is never deferred), the process is SIGKILLed and the time to the
 * first cell result with the variable back is taken. Medians over `rounds`.
 */
async function restoreFigures(
  k: Kernel,
  records: Record<string, unknown>[],
  rounds: number,
): Promise<KernelBenchResult["kernel"]["restore"]> {
  const out = [];
  let v = 0;
  for (const { name, n, make } of RESTORE_CASES) {
    const saves: number[] = [];
    const restores: number[] = [];
    let bytes = 0;
    for (let round = 0; round < rounds; round++) {
      const state = `state${++v}`;
      const before = records.length;
      await k.execute(`let ${state} = ${make}`, { timeoutMs: 120_000 });
      await k.execute("0"); // waits for the checkpoint of the previous cell
      const rec = records.slice(before).find((r) =>
        r.event === "kernel_checkpoint" && (r.saved as string[]).includes(state)
      );
      if (!rec) throw new Error(`no checkpoint of ${state}`);
      saves.push(rec.ms as number);
      bytes = rec.bytes as number;
      const t1 = performance.now();
      Deno.kill(k.pid!, "SIGKILL");
      while (k.running) await new Promise((r) => setTimeout(r, 1));
      const r = await k.execute(`${state}.length`, { timeoutMs: 120_000 });
      restores.push(performance.now() - t1);
      if (r.value !== n) throw new Error(`restore failed: ${JSON.stringify(r).slice(0, 300)}`);
      await k.execute(`${state} = null`);
    }
    out.push({
      state: name,
      bytes,
      checkpointMs: round(median(saves)),
      killToRestoredMs: round(median(restores)),
      rounds,
    });
  }
  return out;
}

async function kernelFigures(starts: number, cells: number, restores: number) {
  const { logger, records } = memoryLogger("debug");
  const dirs: string[] = [];
  // Start to first result only: the close (kill, exit, checkpoint) is not timed.
  const cold: number[] = [];
  for (let i = 0; i < starts; i++) {
    const dir = await workspace();
    dirs.push(dir);
    const t0 = performance.now();
    const k = await Kernel.start({ sessionId: "b", workspaceDir: dir, log: logger });
    await k.execute("1 + 1");
    cold.push(performance.now() - t0);
    await k.close();
  }
  const dir = await workspace();
  dirs.push(dir);
  const k = await bigKernel(dir, logger, () => Promise.resolve({ ok: true, value: null }));
  await k.execute("let warm = 1");
  const trivial = await timeEach(cells, () => k.execute("1 + 1"));
  const toolCell = await timeEach(cells, () => k.execute("await tools.noop({})"));
  const toolTrips = await timeEach(Math.max(5, cells / 10), async () => {
    const r = await k.execute("for (let i = 0; i < 100; i++) await tools.noop({})");
    if (!r.ok) throw new Error(`tool cell failed: ${JSON.stringify(r.error)}`);
  });
  const trivialMs = median(trivial);
  const cell50 = await timeEach(50, async () => {
    const r = await k.execute(CELL_50);
    if (!r.ok) throw new Error(`50-line cell failed: ${JSON.stringify(r.error)}`);
  });
  const interrupts = await (async () => {
    const out: number[] = [];
    for (let i = 0; i < 5; i++) {
      const running = k.execute(i % 2 ? "while (true) {}" : "while (true) await null");
      await new Promise((r) => setTimeout(r, 100));
      const t0 = performance.now();
      if (!k.interrupt()) throw new Error("interrupt found no running cell");
      await running;
      out.push(performance.now() - t0);
    }
    return out;
  })();
  const restore = await restoreFigures(k, records, restores);
  await k.close();
  for (const d of dirs) await Deno.remove(d.replace(/\/ws$/, ""), { recursive: true });
  return {
    coldStartToFirstResultMs: round(median(cold)),
    rawInspectSpawnMs: await rawInspectSpawn(starts),
    trivialCellMs: round(trivialMs),
    toolCellMs: round(median(toolCell)),
    toolRoundTripMs: round((median(toolTrips) - trivialMs) / 100),
    cell50LinesMs: round(median(cell50)),
    interruptMs: round(median(interrupts)),
    restore,
  };
}

async function ipythonFigures(): Promise<Record<string, number> | { skipped: string }> {
  try {
    const out = await new Deno.Command("/usr/bin/python3", {
      args: [IPY_SCRIPT, "5", "200"],
      stdout: "piped",
      stderr: "null",
      env: { PYDEVD_DISABLE_FILE_VALIDATION: "1" },
    }).output();
    if (!out.success) {
      return { skipped: "python3-ipykernel / python3-jupyter-client not installed" };
    }
    return JSON.parse(new TextDecoder().decode(out.stdout));
  } catch (e) {
    return { skipped: `cannot run /usr/bin/python3: ${(e as Error).message}` };
  }
}

/** Runs every figure; `quick` shrinks the run counts. */
export async function runKernelBench(quick = false): Promise<KernelBenchResult> {
  const host = await hostFigures(quick ? 5 : 20, quick ? 200 : 2000);
  const kernel = await kernelFigures(quick ? 3 : 10, quick ? 50 : 300, quick ? 1 : 3);
  const ipython = quick ? { skipped: "quick run" } : await ipythonFigures();
  const denoJupyter = await runKernelPeerBench(quick);
  return { host, kernel, ipython, denoJupyter };
}

/** Only the kill-and-restore figures (`--restore [rounds]`), for work on checkpoints. */
export async function runRestoreBench(
  rounds: number,
): Promise<KernelBenchResult["kernel"]["restore"]> {
  const { logger, records } = memoryLogger("debug");
  const dir = await workspace();
  const k = await bigKernel(dir, logger);
  try {
    await k.execute(CELL_50); // a definition to replay, as in the full run
    return await restoreFigures(k, records, rounds);
  } finally {
    await k.close();
    await Deno.remove(dir.replace(/\/ws$/, ""), { recursive: true });
  }
}

if (import.meta.main) {
  const at = Deno.args.indexOf("--restore");
  const result = at >= 0
    ? await runRestoreBench(Number(Deno.args[at + 1] ?? 3) || 3)
    : await runKernelBench(Deno.args.includes("--quick"));
  console.log(JSON.stringify(result, null, 2));
}
