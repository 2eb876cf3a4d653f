/**
 * CLI start-up: `main.ts --help` and a one-cell `main.ts kernel run`, process start to exit,
 * beside `deno eval 0` (the floor: Deno's own start) in the same interleaved rounds. Medians.
 * Run with `--main <path>` to time another checkout's main.ts in the same rounds (A/B).
 */
import { median, round } from "./stats.ts";

const MAIN = new URL("../main.ts", import.meta.url).pathname;

/** Medians in ms, and each figure over the floor. */
export interface CliBenchResult {
  denoEvalMs: number;
  helpMs: number;
  kernelRunOneCellMs: number;
  helpOverFloor: number;
  rounds: number;
  other?: { main: string; helpMs: number; kernelRunOneCellMs: number };
}

async function timeRun(args: string[], cwd?: string): Promise<number> {
  const t0 = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    stdout: "null",
    stderr: "piped",
    ...(cwd ? { cwd } : {}),
  }).output();
  const ms = performance.now() - t0;
  if (!out.success) {
    throw new Error(`deno ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return ms;
}

const runArgs = (main: string, ...rest: string[]) => [
  "run",
  "--no-prompt",
  "--unstable-worker-options",
  "-A",
  main,
  ...rest,
];

/** Times `rounds` interleaved rounds; `other` is a second main.ts to compare with. */
export async function runCliBench(rounds = 10, other?: string): Promise<CliBenchResult> {
  const dir = await Deno.makeTempDir({ prefix: "cli-bench-" });
  const cells = `${dir}/one.ts`;
  await Deno.writeTextFile(cells, "1 + 1\n");
  const mains = other ? [MAIN, other] : [MAIN];
  const t = {
    eval: [] as number[],
    help: mains.map(() => [] as number[]),
    run: mains.map(() => [] as number[]),
  };
  try {
    for (let r = 0; r < rounds; r++) {
      t.eval.push(await timeRun(["eval", "0"]));
      for (const [i, main] of mains.entries()) {
        const cwd = `${main.replace(/\/main\.ts$/, "")}`;
        t.help[i]!.push(await timeRun(runArgs(main, "--help"), cwd));
        t.run[i]!.push(await timeRun(runArgs(main, "kernel", "run", cells), cwd));
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  const floor = median(t.eval);
  const result: CliBenchResult = {
    denoEvalMs: round(floor, 1),
    helpMs: round(median(t.help[0]!), 1),
    kernelRunOneCellMs: round(median(t.run[0]!), 1),
    helpOverFloor: round(median(t.help[0]!) / floor, 2),
    rounds,
  };
  if (other) {
    result.other = {
      main: other,
      helpMs: round(median(t.help[1]!), 1),
      kernelRunOneCellMs: round(median(t.run[1]!), 1),
    };
  }
  return result;
}

if (import.meta.main) {
  const at = Deno.args.indexOf("--main");
  const other = at >= 0 ? Deno.args[at + 1] : undefined;
  console.log(JSON.stringify(await runCliBench(10, other), null, 2));
}
