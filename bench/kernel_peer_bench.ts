/**
 * Our kernel beside Deno's own Jupyter kernel (`deno jupyter --kernel`, driven by
 * python3-jupyter-client), on the cells where a checkpoint or the transform could make a user
 * wait: a trivial cell right after loading 1M records (and 50 ms after, while the checkpoint of
 * the load is under way), a cell that reads a 44 MB arquero table, and a 50-line TypeScript cell.
 * Rounds are interleaved (ours, then theirs, the order flipped every round) so the load of this
 * shared machine falls on both alike; each figure is a median and comes with its ratio.
 */
import { Kernel } from "../core/kernel/kernel.ts";
import { memoryLogger } from "../core/log.ts";
import { transformCell } from "../core/kernel/transform.ts";
import { type JupyterPeer, peerMissing, startJupyterPeer } from "./jupyter_peer.ts";
import { median, round, timeEach } from "./stats.ts";
import { CELL_50 } from "./kernel_cells.ts";

const RECORDS =
  `let recs = Array.from({ length: 1_000_000 }, (_, i) => ({ id: i, name: "row-" + i, score: i / 3 })); recs.length`;
const N_TABLE = 1_100_000;
const TABLE = [
  `import * as aq from "npm:arquero@7.2.0";`,
  `const n = ${N_TABLE};`,
  `let dt = aq.table({`,
  `  id: Float64Array.from({ length: n }, (_, i) => i),`,
  `  k: Array.from({ length: n }, (_, i) => "g" + (i % 20)),`,
  `  name: Array.from({ length: n }, (_, i) => "row-" + i),`,
  `  x: Float64Array.from({ length: n }, (_, i) => i / 7),`,
  `  y: Float64Array.from({ length: n }, (_, i) => i % 11),`,
  `});`,
  `dt.numRows()`,
].join("\n");
const READ_TABLE = `dt.groupby("k").count().numRows()`;

/** One comparison: our median, theirs, and ours / theirs. */
export interface Paired {
  oursMs: number;
  denoJupyterMs: number;
  ratio: number;
  rounds: number;
  /** Every round's figure, ours and theirs (a median can hide a slow minority). */
  samples: { ours: number[]; denoJupyter: number[] };
}

/** What the section reports. */
export interface KernelPeerResult {
  trivialAfter1MRecords: Paired;
  /** The same, 50 ms after the load returned (our checkpoint of it is under way then). */
  trivial50MsAfter1MRecords: Paired;
  /** `dt.groupby("k").count()` on a 1.1M-row table, each after 0.5 s idle. */
  readTable: Paired & { tableBytes?: number };
  /** The same cell back to back (no idle time between cells). */
  readTableBackToBack: Paired;
  cell50Lines: Paired;
  /** Our type-stripping (transformCell) of the 50-line cell, and what is left of the cell. */
  cell50TransformMs: number;
  cell50RestMs: number;
  coldStartMs: { ours: number; denoJupyter: number };
}

type Side = (code: string) => Promise<number>;

/** Alternates `ours` and `theirs` for `rounds`; `before` runs untimed first on each side. */
async function paired(
  rounds: number,
  ours: Side,
  theirs: Side,
  timed: string,
  before?: (side: Side) => Promise<void>,
): Promise<Paired> {
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const order: [Side, number[]][] = r % 2 ? [[theirs, b], [ours, a]] : [[ours, a], [theirs, b]];
    for (const [side, out] of order) {
      if (before) await before(side);
      out.push(await side(timed));
    }
  }
  const oursMs = round(median(a));
  const denoJupyterMs = round(median(b));
  const samples = { ours: a.map((x) => round(x, 1)), denoJupyter: b.map((x) => round(x, 1)) };
  return { oursMs, denoJupyterMs, ratio: round(oursMs / denoJupyterMs, 2), rounds, samples };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the comparison; `quick` shrinks the rounds. */
export async function runKernelPeerBench(
  quick = false,
): Promise<KernelPeerResult | { skipped: string }> {
  const missing = await peerMissing("deno");
  if (missing) return { skipped: missing };
  const { logger, records } = memoryLogger("debug");
  const root = await Deno.makeTempDir({ prefix: "kernel-peer-" });
  const t0 = performance.now();
  const k = await Kernel.start({
    sessionId: "peer",
    workspaceDir: `${root}/ws`,
    log: logger,
    heapMb: 3072,
    rssMb: 6144,
  });
  await k.execute("1 + 1");
  const oursStart = performance.now() - t0;
  let peer: JupyterPeer | undefined;
  try {
    peer = await startJupyterPeer("deno");
    const p = peer;
    // Call to result: a cell's own `ms` leaves out the wait for an earlier cell's checkpoint.
    const ours: Side = async (code) => {
      const t = performance.now();
      const r = await k.execute(code, { timeoutMs: 300_000 });
      if (!r.ok) throw new Error(`our kernel failed: ${JSON.stringify(r.error)}`);
      return performance.now() - t;
    };
    const theirs: Side = async (code) => {
      const r = await p.run(code, 300);
      if (r.status !== "ok") throw new Error(`Deno's Jupyter kernel: ${r.status}`);
      return r.ms;
    };
    const rounds = quick ? 2 : 5;
    const trivialAfter1MRecords = await paired(rounds, ours, theirs, "1 + 1", async (side) => {
      await side(RECORDS);
    });
    const trivial50MsAfter1MRecords = await paired(rounds, ours, theirs, "1 + 1", async (side) => {
      await side(RECORDS);
      await sleep(50);
    });
    await ours("recs = null");
    await theirs("recs = null");
    await ours(TABLE);
    await theirs(TABLE);
    await sleep(3_000); // our checkpoint of the new table, off the clock
    const readTable = await paired(quick ? 3 : 7, ours, theirs, READ_TABLE, async () => {
      await sleep(500);
    });
    const saved = records.findLast((r) =>
      r.event === "kernel_checkpoint" && (r.saved as string[] | undefined)?.includes("dt")
    );
    const readTableBackToBack = await paired(quick ? 3 : 7, ours, theirs, READ_TABLE);
    const cell50 = await paired(quick ? 10 : 40, ours, theirs, CELL_50);
    const transform = await timeEach(50, () => transformCell(CELL_50));
    const transformMs = round(median(transform));
    return {
      trivialAfter1MRecords,
      trivial50MsAfter1MRecords,
      readTable: { ...readTable, ...(saved ? { tableBytes: saved.bytes as number } : {}) },
      readTableBackToBack,
      cell50Lines: cell50,
      cell50TransformMs: transformMs,
      cell50RestMs: round(cell50.oursMs - transformMs),
      coldStartMs: { ours: round(oursStart), denoJupyter: round(peer.readyMs) },
    };
  } finally {
    await peer?.close();
    await k.close();
    await Deno.remove(root, { recursive: true });
  }
}

if (import.meta.main) {
  console.log(JSON.stringify(await runKernelPeerBench(Deno.args.includes("--quick")), null, 2));
}
