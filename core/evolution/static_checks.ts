/**
 * The tool-based static checks on one file: `deno check` (type errors), `deno lint --json` and
 * `deno doc --json` (each exported function has a doc comment, typed parameters and a return
 * type). Each becomes {@link Finding}s; a type error is high, lint medium, a missing doc low.
 */
import type { Finding } from "./finding.ts";
import { runDenoTool } from "./run_deno.ts";

/** Type-checks `file` with the project's strict compiler options. */
export async function typeCheck(file: string): Promise<Finding[]> {
  const run = await runDenoTool("check", [file]);
  if (run.timedOut) return [timeout("check")];
  if (/No matching files/.test(run.stderr)) return [nothingChecked("check", file)];
  if (run.code === 0) return [];
  const out: Finding[] = [];
  const re = /(TS\d+) \[ERROR\]: ([^]*?)\n\s+at (\S+?):(\d+):(\d+)/g;
  for (const m of run.stderr.matchAll(re)) {
    const message = m[2]!.split("\n")[0]!.trim();
    out.push({
      severity: "high",
      source: "check",
      rule: m[1]!,
      message,
      line: m[3]!.endsWith(file.split("/").pop()!) ? Number(m[4]) : 0,
      fix: typeFix(m[1]!, message),
    });
  }
  if (out.length === 0) {
    const why = run.stderr.split("\n").find((l) => l.startsWith("error:")) ?? run.stderr;
    out.push({
      severity: "high",
      source: "check",
      rule: "check-failed",
      message: why.trim().slice(0, 300),
      line: 0,
      fix: "Make the file resolve and type-check with `deno check`.",
    });
  }
  return out;
}

/** Lints `file` with the project's rules. */
export async function lint(file: string): Promise<Finding[]> {
  const run = await runDenoTool("lint", [file]);
  if (run.timedOut) return [timeout("lint")];
  let parsed: { diagnostics?: LintDiagnostic[]; errors?: { message: string }[] };
  try {
    parsed = JSON.parse(run.stdout);
  } catch {
    if (/No target files/.test(run.stderr)) return [nothingChecked("lint", file)];
    return [{
      severity: "high",
      source: "lint",
      rule: "lint-failed",
      message: run.stderr.slice(0, 300),
      line: 0,
      fix: "Make the file parse.",
    }];
  }
  const out: Finding[] = (parsed.diagnostics ?? []).map((d) => ({
    severity: "medium",
    source: "lint",
    rule: d.code,
    message: d.message,
    line: d.range.start.line,
    fix: d.hint ?? `Follow the ${d.code} rule.`,
  }));
  for (const e of parsed.errors ?? []) {
    out.push({
      severity: "high",
      source: "lint",
      rule: "parse",
      message: e.message.slice(0, 300),
      line: 0,
      fix: "Fix the syntax error.",
    });
  }
  return out;
}

interface LintDiagnostic {
  range: { start: { line: number } };
  message: string;
  code: string;
  hint?: string;
}

interface DocNode {
  name: string;
  declarations?: {
    location: { line: number };
    jsDoc?: { doc?: string };
    kind: string;
    def?: { params?: { name?: string; kind: string; tsType?: unknown }[]; returnType?: unknown };
  }[];
}

/** Checks that every exported function has a doc comment, typed parameters and a return type. */
export async function docCheck(file: string): Promise<Finding[]> {
  const run = await runDenoTool("doc", [file]);
  if (run.timedOut) return [timeout("doc")];
  if (run.code !== 0) return []; // a file that does not parse is reported by check and lint
  const doc = JSON.parse(run.stdout) as { nodes?: Record<string, { symbols?: DocNode[] }> };
  const symbols = Object.values(doc.nodes ?? {}).flatMap((n) => n.symbols ?? []);
  const out: Finding[] = [];
  let exportedFunctions = 0;
  for (const sym of symbols) {
    for (const d of sym.declarations ?? []) {
      if (d.kind !== "function") continue;
      exportedFunctions++;
      const line = d.location.line + 1; // deno doc lines are 0-based
      if (!d.jsDoc?.doc?.trim()) {
        out.push({
          severity: "low",
          source: "docs",
          rule: "missing-doc",
          message: `exported function ${sym.name} has no doc comment`,
          line,
          fix: `Add a /** ... */ comment above ${sym.name} saying what it returns.`,
        });
      }
      for (const p of d.def?.params ?? []) {
        if (p.tsType === undefined) {
          const pname = p.name ?? p.kind;
          out.push({
            severity: "medium",
            source: "docs",
            rule: "untyped-param",
            message: `parameter ${pname} of ${sym.name} has no type`,
            line,
            fix: `Annotate ${pname} with its type.`,
          });
        }
      }
      if (d.def?.returnType === undefined) {
        out.push({
          severity: "medium",
          source: "docs",
          rule: "no-return-type",
          message: `${sym.name} has no declared return type`,
          line,
          fix: `Declare the return type of ${sym.name}.`,
        });
      }
    }
  }
  if (exportedFunctions === 0) {
    out.push({
      severity: "high",
      source: "docs",
      rule: "no-export",
      message: "the file exports no function",
      line: 0,
      fix: "Export the function the file is named after.",
    });
  }
  return out;
}

/** A check that looked at no file (an excluded path) must not pass as clean. */
function nothingChecked(step: string, file: string): Finding {
  return {
    severity: "high",
    source: step === "lint" ? "lint" : "check",
    rule: "nothing-checked",
    message: `deno ${step} checked no file (is "${file}" excluded by a config?)`,
    line: 0,
    fix: "Check a copy of the file outside excluded folders.",
  };
}

function timeout(step: string): Finding {
  return {
    severity: "high",
    source: "check",
    rule: "timeout",
    message: `deno ${step} timed out`,
    line: 0,
    fix: "Simplify the file.",
  };
}

function typeFix(code: string, message: string): string {
  if (code === "TS7006") return "Add a type annotation to the parameter.";
  if (code === "TS2307") {
    return "Import only modules that exist in the import map or beside the file.";
  }
  if (code === "TS2322" || code === "TS2345") {
    return "Make the value match the declared type, or fix the declaration.";
  }
  if (code === "TS18048" || code === "TS2532") {
    return "Handle the undefined case (noUncheckedIndexedAccess is on).";
  }
  return `Fix the type error: ${message.slice(0, 80)}`;
}
