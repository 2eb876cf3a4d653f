/**
 * Actor runtime benchmark: spawn and ask round trip for worker actors and subprocess actors,
 * each beside the raw mechanism (a bare Worker / child process) measured in the same run, so
 * the ratio shows the runtime's own overhead on a noisy machine.
 */
import { ActorSystem } from "../core/actor_system.ts";
import { Logger } from "../core/log.ts";
import { subprocessIsolation } from "../core/subprocess_actor.ts";
import { median, quantile, round, timeEach } from "./stats.ts";

const ECHO = new URL("./testdata/echo_actor.ts", import.meta.url).href;
const RAW_WORKER = new URL("./testdata/raw_worker.ts", import.meta.url).href;
const RAW_ACTOR_WORKER = new URL("./testdata/raw_actor_worker.ts", import.meta.url).href;
const RAW_CHILD = new URL("./testdata/raw_child.ts", import.meta.url).pathname;
const RAW_ACTOR_CHILD = new URL("./testdata/raw_actor_child.ts", import.meta.url).pathname;
const CONFIG = new URL("../deno.json", import.meta.url).pathname;

/** Figures in milliseconds (medians unless named p95) and overhead ratios. */
export interface ActorBenchResult {
  worker: SpawnFigures;
  subprocess: SpawnFigures;
  /** Runtime over raw: spawn against the fair baseline, ask against the bare round trip. */
  ratios: {
    workerSpawn: number;
    workerAsk: number;
    subprocessSpawn: number;
    subprocessAsk: number;
  };
}

/** Medians in ms for one isolation kind. */
export interface SpawnFigures {
  spawnMs: number;
  /** The bare mechanism: an empty Worker module / a child that echoes lines. */
  rawSpawnMs: number;
  /** The bare mechanism loading the same actor module (and so zod): the fair baseline. */
  rawActorModuleSpawnMs: number;
  askMs: number;
  askP95Ms: number;
  rawRoundTripMs: number;
}

/** Runs the benchmark; `spawns` and `asks` set the sample sizes. */
export async function actorBenchmark(spawns = 20, asks = 2_000): Promise<ActorBenchResult> {
  const log = new Logger({ level: "error" });
  const sys = new ActorSystem({ log });
  sys.registerIsolation("subprocess", subprocessIsolation({ log, heapMb: 256, rssMb: 512 }));

  // Warm the module caches so both sides measure steady-state spawns.
  await (await sys.spawn(ECHO, { name: "warm" })).ask({ type: "ping", n: 0 });
  await sys.stop("warm");

  const rawSpawn = (url: string) => async () => {
    const w = new Worker(url, { type: "module" });
    await new Promise((r) => (w.onmessage = r));
    w.terminate();
  };
  const rawWorkerSpawn = await timeEach(spawns, rawSpawn(RAW_WORKER));
  const rawActorSpawn = await timeEach(spawns, rawSpawn(RAW_ACTOR_WORKER));
  const workerSpawn: number[] = [];
  for (let i = 0; i < spawns; i++) {
    const t0 = performance.now();
    await sys.spawn(ECHO, { name: `w${i}` });
    workerSpawn.push(performance.now() - t0);
    await sys.stop(`w${i}`);
  }
  const rawWorker = new Worker(RAW_WORKER, { type: "module" });
  await new Promise((r) => (rawWorker.onmessage = r));
  const rawWorkerRt = await timeEach(asks, async (i) => {
    const reply = new Promise((r) => (rawWorker.onmessage = r));
    rawWorker.postMessage({ type: "ping", n: i });
    await reply;
  });
  rawWorker.terminate();
  const ref = await sys.spawn(ECHO, { name: "w" });
  const workerAsk = await timeEach(asks, (i) => ref.ask({ type: "ping", n: i }));

  const rawChildSpawn = await timeEach(spawns, async () => {
    const child = rawChild();
    await child.lines.next();
    child.proc.kill();
    await child.proc.status;
  });
  const rawActorChildSpawn = await timeEach(spawns, async () => {
    const child = rawChild(RAW_ACTOR_CHILD, ["--config", CONFIG]);
    await child.lines.next();
    child.proc.kill();
    await child.proc.status;
  });
  const subSpawn: number[] = [];
  for (let i = 0; i < spawns; i++) {
    const t0 = performance.now();
    await sys.spawn(ECHO, { name: `s${i}`, isolation: "subprocess" });
    subSpawn.push(performance.now() - t0);
    await sys.stop(`s${i}`);
  }
  const child = rawChild();
  await child.lines.next();
  const enc = new TextEncoder();
  const rawChildRt = await timeEach(asks, async (i) => {
    await child.writer.write(enc.encode(`{"type":"ping","n":${i}}\n`));
    await child.lines.next();
  });
  child.proc.kill();
  await child.proc.status;
  const sub = await sys.spawn(ECHO, { name: "s", isolation: "subprocess" });
  const subAsk = await timeEach(asks, (i) => sub.ask({ type: "ping", n: i }));
  await sys.shutdown();

  const r = (xs: number[]) => round(median(xs));
  const result: ActorBenchResult = {
    worker: {
      spawnMs: r(workerSpawn),
      rawSpawnMs: r(rawWorkerSpawn),
      rawActorModuleSpawnMs: r(rawActorSpawn),
      askMs: r(workerAsk),
      askP95Ms: round(quantile(workerAsk, 0.95)),
      rawRoundTripMs: r(rawWorkerRt),
    },
    subprocess: {
      spawnMs: r(subSpawn),
      rawSpawnMs: r(rawChildSpawn),
      rawActorModuleSpawnMs: r(rawActorChildSpawn),
      askMs: r(subAsk),
      askP95Ms: round(quantile(subAsk, 0.95)),
      rawRoundTripMs: r(rawChildRt),
    },
    ratios: {
      workerSpawn: round(median(workerSpawn) / median(rawActorSpawn), 2),
      workerAsk: round(median(workerAsk) / median(rawWorkerRt), 2),
      subprocessSpawn: round(median(subSpawn) / median(rawActorChildSpawn), 2),
      subprocessAsk: round(median(subAsk) / median(rawChildRt), 2),
    },
  };
  return result;
}

function rawChild(entry = RAW_CHILD, config = ["--no-config"]) {
  const proc = new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", "--cached-only", "--no-lock", ...config, entry],
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
    clearEnv: true,
  }).spawn();
  const lines = proc.stdout.pipeThrough(new TextDecoderStream()).values();
  return { proc, lines, writer: proc.stdin.getWriter() };
}

if (import.meta.main) console.log(JSON.stringify(await actorBenchmark(), null, 2));
