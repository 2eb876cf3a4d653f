/**
 * Self-evolution benchmark: the forbidden-API scan, the whole static review (deno check, lint,
 * doc as subprocesses), the sandboxed test runner, analyze_history over 1,000 cells, and session
 * save/restore with ~N MB of kernel data (typed arrays and plain objects measured separately).
 * Bounded runs, medians. Usage: deno task bench-style flags, `--mb 100`, `--skip-session`.
 */
import { parseArgs } from "node:util";
import { Kernel } from "../core/kernel/mod.ts";
import { memoryLogger } from "../core/log.ts";
import { analyzeHistory } from "../core/evolution/analyze_history.ts";
import { scanForbiddenApis } from "../core/evolution/forbidden_apis.ts";
import type { HistoryRecord } from "../core/evolution/history_record.ts";
import { staticReview } from "../core/evolution/static_review.ts";
import { runGeneratedTests } from "../core/evolution/test_runner.ts";
import { loadSessionState, saveSessionState } from "../core/sessions/session_state.ts";
import { median, round, timeEach } from "./stats.ts";

const FN = [
  "/**",
  " * Average of the daily maximum temperatures of one city, rounded to one decimal.",
  " * @param rows Daily rows.",
  " * @param city The city.",
  " */",
  "export function city_average_max(rows: { city: string; max: number }[], city: string): number {",
  "  const maxes = rows.filter((r) => r.city === city).map((r) => r.max);",
  "  if (maxes.length === 0) return NaN;",
  "  return Math.round((maxes.reduce((a, b) => a + b, 0) / maxes.length) * 10) / 10;",
  "}",
  "",
].join("\n");
const TEST = 'import assert from "node:assert/strict";\n' +
  'import { city_average_max } from "../functions/city_average_max.ts";\n' +
  'Deno.test("avg", () => assert.equal(city_average_max([{ city: "a", max: 1 }, { city: "a", max: 2 }], "a"), 1.5));\n';

/** Every figure, in ms unless named otherwise. */
export interface EvolutionBenchResult {
  forbiddenScanMs: number;
  staticReviewMs: number;
  testRunMs: number;
  analyze1000Ms: number;
  analyzeSuggestions: number;
  session?: Record<string, { mb: number; saveMs: number; restoreMs: number; ok: boolean }>;
}

/** Runs the benchmark. */
export async function runEvolutionBench(mb = 100, session = true): Promise<EvolutionBenchResult> {
  const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "evo_bench_" }));
  try {
    const learned = `${root}/learned_skills`;
    await Deno.mkdir(`${learned}/functions`, { recursive: true });
    await Deno.mkdir(`${learned}/tests`, { recursive: true });
    await Deno.mkdir(`${root}/ws`);
    await Deno.writeTextFile(`${learned}/functions/city_average_max.ts`, FN);
    await Deno.writeTextFile(`${learned}/tests/city_average_max_test.ts`, TEST);
    const big = Array.from({ length: 5 }, () => FN).join("\n").replaceAll(
      "export function city_average_max",
      "function f",
    );
    const scan = await timeEach(20, () => scanForbiddenApis(big));
    const review = await timeEach(
      3,
      () => staticReview(`${learned}/functions/city_average_max.ts`),
    );
    const tests = await timeEach(
      3,
      () =>
        runGeneratedTests(`${learned}/tests/city_average_max_test.ts`, {
          learnedSkillsDir: learned,
          scratchRoot: `${root}/ws`,
        }),
    );
    const records = historyRecords(1000);
    let suggestions = 0;
    const analyze = await timeEach(5, async () => {
      suggestions = (await analyzeHistory(records)).length;
    });
    const result: EvolutionBenchResult = {
      forbiddenScanMs: round(median(scan)),
      staticReviewMs: round(median(review), 0),
      testRunMs: round(median(tests), 0),
      analyze1000Ms: round(median(analyze), 1),
      analyzeSuggestions: suggestions,
    };
    if (session) {
      result.session = {
        typedArrays: await sessionRoundTrip(
          root,
          "typed",
          `let data = Array.from({ length: ${
            Math.round(mb)
          } }, (_, i) => new Float64Array(131072).fill(i));`,
        ),
        objects: await sessionRoundTrip(
          root,
          "objects",
          `let data = Array.from({ length: ${
            Math.round(mb * 13500)
          } }, (_, i) => ({ id: i, name: "item " + i, tags: ["a", "b"], score: i / 7, at: new Date(1e12 + i) }));`,
        ),
      };
    }
    return result;
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

async function sessionRoundTrip(root: string, name: string, cell: string) {
  const log = memoryLogger("warn").logger;
  const opts = (ws: string) => ({
    sessionId: ws,
    workspaceDir: `${root}/${ws}`,
    learnedSkillsDir: `${root}/learned_skills`,
    heapMb: 4096,
    rssMb: 8192,
    cellTimeoutMs: 300_000,
    log,
  });
  const paths = (ws: string) => ({
    sessionsDir: `${root}/sessions`,
    learnedDir: `${root}/learned_skills`,
    workspaceDir: `${root}/${ws}`,
  });
  const k1 = await Kernel.start(opts(`${name}1`));
  let k2: Kernel | undefined;
  try {
    const made = await k1.execute(cell + "\ndata.length", { timeoutMs: 300_000 });
    if (!made.ok) throw new Error(`bench cell failed: ${made.error?.message}`);
    const t0 = performance.now();
    const saved = await saveSessionState(
      name,
      k1,
      { conversation: [], history: [] },
      paths(`${name}1`),
    );
    const saveMs = performance.now() - t0;
    await k1.close();
    k2 = await Kernel.start(opts(`${name}2`));
    const report = await loadSessionState(name, k2, paths(`${name}2`));
    const check = await k2.execute("data.length");
    return {
      mb: round(saved.copiedBytes / 1e6, 1),
      saveMs: round(saveMs, 0),
      restoreMs: round(report.ms, 0),
      ok: check.ok && check.value === made.value && report.lost.length === 0,
    };
  } finally {
    await k1.close().catch(() => {});
    await k2?.close();
  }
}

function historyRecords(n: number): HistoryRecord[] {
  const shapes = [
    (i: number) =>
      `const r = await tools.weather_lookup({ city: "c${i}" });\nconst t = r.days.map((d) => d.max);\nt.reduce((a, b) => a + b, 0) / t.length`,
    (i: number) =>
      `const hits = await tools.memory_search({ query: "q${i}", limit: ${
        i % 9 + 1
      } });\nhits.results.map((h) => h.text).join("\\n")`,
    (i: number) =>
      `let rows = data.filter((r) => r.score > ${i});\nrows.sort((a, b) => b.score - a.score).slice(0, 10)`,
  ];
  return Array.from({ length: n }, (_, i) => ({
    kind: "cell" as const,
    code: i % 4 === 3 ? `const x${i} = ${i} * 2; x${i} + ${i % 13}` : shapes[i % 3]!(i),
    ok: true,
    ms: 5,
  }));
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { mb: { type: "string" }, "skip-session": { type: "boolean" } },
  });
  const r = await runEvolutionBench(Number(values.mb ?? 100), !values["skip-session"]);
  console.log(JSON.stringify(r, null, 2));
}
