/**
 * Runs a generated test file in the kernel's sandbox: `deno test` as a SubprocessHost child (the
 * sandbox launcher's `test` job: empty environment, `--no-prompt --cached-only`, deny-by-default
 * permission flags, a heap cap, and the RSS watchdog) that may read only the folder of the test and the code
 * it tests, and write only a fresh, empty workspace; a wall-clock timeout kills it. The test
 * file is imported at run time by a trusted entry (sandbox_test_entry.ts), so its imports are
 * permission-checked. Reports pass/fail per test (from the JUnit report) and line coverage of the
 * code under test (from `deno coverage --lcov`).
 */
import { resolve } from "node:path";
import { Logger } from "../log.ts";
import { type ExitInfo, SubprocessHost } from "../subprocess_host.ts";
import { runSandboxed } from "../sandbox/run_sandboxed.ts";

/** The largest JUnit report read back (a test can print long names). */
const MAX_JUNIT_BYTES = 4 * 1024 * 1024;
const OUTPUT_LINES = 40;

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
  /** Set when the sandbox killed the run: `rss_limit`, `heap_oom`, ... */
  killed?: string;
  /** Output tail when the run failed before any test (e.g. an import error). */
  error?: string;
  ms: number;
}

/** Sandbox settings of a test run; the kernel's, from config.kernel. */
export interface TestRunOptions {
  /** The folder holding the test file and the code it imports; read-only for the test. */
  learnedSkillsDir: string;
  /** Where the run's scratch folder (workspace, reports) goes; default the system temp dir. */
  scratchRoot?: string;
  /** V8 heap cap, default 512 MB. */
  heapMb?: number;
  /** RSS watchdog limit, default 1024 MB. */
  rssMb?: number;
  /** Default 60 s. */
  timeoutMs?: number;
  log?: Logger;
}

/** Runs `testFile` in the sandbox and parses its per-test results and coverage. */
export async function runGeneratedTests(
  testFile: string,
  options: TestRunOptions,
): Promise<TestRunReport> {
  const started = performance.now();
  const readable = resolve(options.learnedSkillsDir);
  const file = resolve(testFile);
  if (!file.startsWith(`${readable}/`)) {
    throw new Error(`Cannot test "${testFile}": it is not inside ${readable}/`);
  }
  if (options.scratchRoot) await Deno.mkdir(options.scratchRoot, { recursive: true });
  const scratch = await Deno.realPath(
    await Deno.makeTempDir({ prefix: "evo_test_run_", ...dirOf(options.scratchRoot) }),
  );
  try {
    const workspace = `${scratch}/workspace`;
    await Deno.mkdir(workspace);
    const junit = `${scratch}/junit.xml`;
    // The launcher's real paths (a symlinked temp dir would be refused).
    const real = { read: await Deno.realPath(readable), file: await Deno.realPath(file) };
    const run = await sandboxedTest(real.file, real.read, scratch, options);
    const tests = parseJUnit(await readCapped(junit));
    let coverage: FileCoverage[] = [];
    if (run.exit.reason === "exited" && !run.timedOut && tests.length > 0) {
      const lcov = await runSandboxed({ kind: "coverage", scratch, read: real.read });
      coverage = parseLcov(lcov.stdout).filter((c) =>
        c.file.startsWith(`${real.read}/`) && !/_test\.ts$/.test(c.file)
      );
    }
    const found = coverage.reduce((n, c) => n + c.linesFound, 0);
    const hit = coverage.reduce((n, c) => n + c.linesHit, 0);
    const failed = tests.filter((t) => !t.passed).length;
    const killed = run.timedOut || run.exit.reason === "exited" ? undefined : run.exit.reason;
    const report: TestRunReport = {
      testFile,
      ok: !run.timedOut && !killed && run.exit.code === 0 && tests.length > 0 && failed === 0,
      tests,
      passed: tests.length - failed,
      failed,
      coverage,
      lineCoverage: found > 0 ? hit / found : null,
      timedOut: run.timedOut,
      ...(killed ? { killed } : {}),
      ms: performance.now() - started,
    };
    if (run.timedOut) report.error = "timed out";
    else if (killed) report.error = killedText(killed, options);
    else if (tests.length === 0) report.error = loadErrorText(run.output);
    return report;
  } finally {
    await Deno.remove(scratch, { recursive: true }).catch(() => {});
  }
}

/**
 * Runs `deno test` on the trusted entry and `file` through the sandbox launcher's `test` job
 * (its flags: read `readable` and `<scratch>/workspace`, write the workspace, no net, env, run,
 * ffi or sys, `--no-check`, JUnit and coverage into `scratch`); resolves once the child is gone.
 */
async function sandboxedTest(
  file: string,
  readable: string,
  scratch: string,
  o: TestRunOptions,
): Promise<{ exit: ExitInfo; timedOut: boolean; output: string[] }> {
  const output: string[] = []; // the last lines of stdout and stderr (deno test reports on both)
  const exit = Promise.withResolvers<ExitInfo>();
  const host = new SubprocessHost({
    name: `generated-test:${file.split("/").pop()}`,
    sandbox: { kind: "test", scratch, read: readable, file, heapMb: o.heapMb ?? 512 },
    rssMb: o.rssMb ?? 1024,
    stdin: "null",
    log: o.log ?? new Logger({ level: "error" }),
    onFrame: () => {},
    onOutput: (_stream, line) => {
      if (!line.trim() || /^(FAILED|ok) \|/.test(line)) return;
      output.push(line.slice(0, 2000));
      if (output.length > OUTPUT_LINES) output.shift();
    },
    onExit: (info) => exit.resolve(info),
  });
  let timedOut = false;
  await host.start();
  const timer = setTimeout(() => {
    timedOut = true;
    host.kill("timeout");
  }, o.timeoutMs ?? 60_000);
  try {
    return { exit: await exit.promise, timedOut, output };
  } finally {
    clearTimeout(timer);
  }
}

/** The error of a run that ran no test: from its first `error:` line, else the output tail. */
function loadErrorText(output: string[]): string {
  const at = output.findIndex((l) => /^error: /.test(l));
  return (at >= 0 ? output.slice(at, at + 4) : output.slice(-8)).join("\n");
}

function killedText(reason: string, o: TestRunOptions): string {
  if (reason === "rss_limit") return `killed: resident memory over ${o.rssMb ?? 1024} MB`;
  if (reason === "heap_oom") return `killed: JavaScript heap over ${o.heapMb ?? 512} MB`;
  return `killed (${reason})`;
}

async function readCapped(path: string): Promise<string> {
  try {
    if ((await Deno.stat(path)).size > MAX_JUNIT_BYTES) return "";
    return await Deno.readTextFile(path);
  } catch {
    return "";
  }
}

function dirOf(root: string | undefined): { dir?: string } {
  return root ? { dir: root } : {};
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
