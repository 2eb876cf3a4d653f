/**
 * Runs a generated test file under the kernel's sandbox: `deno test` in a child process with an
 * empty environment, read/write on the workspace only, read of learned_skills, no net, env, run,
 * ffi or sys, `--cached-only`, a heap cap and a wall-clock timeout. Reports pass/fail per test
 * (from the JUnit report) and line coverage of the code under test (from `deno coverage --lcov`).
 */
import { PROJECT_CONFIG, runDeno } from "./run_deno.ts";

/** One test's outcome. */
export interface TestCaseResult {
  name: string;
  passed: boolean;
  /** The first lines of the failure, when it failed. */
  failure?: string;
  ms: number;
}

/** Line coverage of one source file. */
export interface FileCoverage {
  file: string;
  linesFound: number;
  linesHit: number;
  /** Lines with code that no test ran. */
  uncovered: number[];
}

/** The outcome of one test run. `ok` is true when the run finished and every test passed. */
export interface TestRunReport {
  testFile: string;
  ok: boolean;
  tests: TestCaseResult[];
  passed: number;
  failed: number;
  coverage: FileCoverage[];
  /** Lines hit / lines found over `coverage`, 0..1; null when nothing was measured. */
  lineCoverage: number | null;
  timedOut: boolean;
  /** stderr tail when the run failed before any test (e.g. an import error). */
  error?: string;
  ms: number;
}

/** Sandbox settings of a test run; the same as the kernel's. */
export interface TestRunOptions {
  /** The only directory tests may write (and the child's cwd). */
  workspaceDir: string;
  /** Read-only for tests. */
  learnedSkillsDir: string;
  heapMb?: number;
  /** Default 60 s. */
  timeoutMs?: number;
}

/** Runs `testFile` in the sandbox and parses its per-test results and coverage. */
export async function runGeneratedTests(
  testFile: string,
  options: TestRunOptions,
): Promise<TestRunReport> {
  const started = performance.now();
  const scratch = await Deno.makeTempDir({ prefix: "evo_test_run_" });
  try {
    const junit = `${scratch}/junit.xml`;
    const cov = `${scratch}/cov`;
    const args = [
      "test",
      "--no-prompt",
      "--cached-only",
      "--no-lock",
      "--no-check", // types are the static pipeline's job; a type error must not hide results
      `--config=${PROJECT_CONFIG}`,
      `--v8-flags=--max-old-space-size=${options.heapMb ?? 512}`,
      `--allow-read=${options.workspaceDir},${options.learnedSkillsDir}`,
      `--allow-write=${options.workspaceDir}`,
      "--deny-import",
      `--junit-path=${junit}`,
      `--coverage=${cov}`,
      testFile,
    ];
    const run = await runDeno(args, {
      cwd: options.workspaceDir,
      timeoutMs: options.timeoutMs ?? 60_000,
      clearEnv: true,
    });
    const xml = await Deno.readTextFile(junit).catch(() => "");
    const tests = parseJUnit(xml);
    let coverage: FileCoverage[] = [];
    if (!run.timedOut && tests.length > 0) {
      const lcov = await runDeno(["coverage", "--lcov", cov]);
      coverage = parseLcov(lcov.stdout).filter((c) => !/_test\.ts$/.test(c.file));
    }
    const found = coverage.reduce((n, c) => n + c.linesFound, 0);
    const hit = coverage.reduce((n, c) => n + c.linesHit, 0);
    const failed = tests.filter((t) => !t.passed).length;
    const report: TestRunReport = {
      testFile,
      ok: !run.timedOut && run.code === 0 && tests.length > 0 && failed === 0,
      tests,
      passed: tests.length - failed,
      failed,
      coverage,
      lineCoverage: found > 0 ? hit / found : null,
      timedOut: run.timedOut,
      ms: performance.now() - started,
    };
    if (tests.length === 0 || run.timedOut) {
      report.error = run.timedOut
        ? "timed out"
        : run.stderr.trim().split("\n").slice(-8).join("\n");
    }
    return report;
  } finally {
    await Deno.remove(scratch, { recursive: true }).catch(() => {});
  }
}

/** Per-test results from a `deno test --junit-path` report. */
export function parseJUnit(xml: string): TestCaseResult[] {
  const out: TestCaseResult[] = [];
  const re = /<testcase name="([^"]*)"[^>]*?time="([\d.]+)"[^>]*?(?:\/>|>([^]*?)<\/testcase>)/g;
  for (const m of xml.matchAll(re)) {
    const body = m[3] ?? "";
    const failure = /<failure message="([^"]*)"/.exec(body);
    const result: TestCaseResult = {
      name: unescapeXml(m[1]!),
      passed: !failure && !body.includes("<error"),
      ms: Number(m[2]) * 1000,
    };
    if (failure) {
      result.failure = unescapeXml(failure[1]!).trim().split("\n").slice(0, 6).join("\n");
    }
    out.push(result);
  }
  return out;
}

/** Line coverage per file from lcov text. */
export function parseLcov(text: string): FileCoverage[] {
  const out: FileCoverage[] = [];
  let cur: FileCoverage | undefined;
  for (const line of text.split("\n")) {
    if (line.startsWith("SF:")) {
      cur = { file: line.slice(3), linesFound: 0, linesHit: 0, uncovered: [] };
    } else if (cur && line.startsWith("DA:")) {
      const [ln, count] = line.slice(3).split(",").map(Number);
      cur.linesFound++;
      if (count! > 0) cur.linesHit++;
      else cur.uncovered.push(ln!);
    } else if (cur && line === "end_of_record") {
      out.push(cur);
      cur = undefined;
    }
  }
  return out;
}

function unescapeXml(s: string): string {
  return s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'").replace(/&amp;/g, "&");
}
