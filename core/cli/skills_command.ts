/**
 * `cli skills`: inspect and manage learned skills outside the REPL: list functions (version,
 * hash check), agents and pending code; run the static review or the sandboxed tests of a file;
 * analyse a saved session's history for repeated patterns; approve pending code (the `manual`
 * approval route when no REPL is attached).
 */
import { type Command, UsageError } from "./command.ts";
import { intFlag, parseArgs } from "./args.ts";
import { loadConfig } from "../config.ts";
import { RuntimeError } from "../errors.ts";
import { analyzeHistory } from "../evolution/analyze_history.ts";
import { formatFindings } from "../evolution/finding.ts";
import { listVersions, readSkill, writeVersioned } from "../evolution/skill_file.ts";
import { staticReview } from "../evolution/static_review.ts";
import { runGeneratedTests } from "../evolution/test_runner.ts";
import { readSessionFile } from "../sessions/session_file.ts";

const USAGE = [
  "deno task cli skills list [--json]",
  "       deno task cli skills check <file.ts> [--json]",
  "       deno task cli skills test <tests/name_test.ts> [--json]",
  "       deno task cli skills analyze <session-name> [--min N] [--json]",
  "       deno task cli skills approve <name>",
  "  common: [--learned learned_skills/] [--sessions sessions/]",
].join("\n");

export const skillsCommand: Command = {
  name: "skills",
  summary: "list, check, test and approve learned skills; analyse a session's history",
  usage: USAGE,
  async run(args) {
    const { values, positionals } = parseArgs(args, {
      json: { type: "boolean" },
      min: { type: "string" },
      learned: { type: "string" },
      sessions: { type: "string" },
    });
    const config = loadConfig();
    const learned = (values.learned as string | undefined) ?? config.paths.learnedSkills;
    const sessions = (values.sessions as string | undefined) ?? config.paths.sessions;
    const json = values.json === true;
    const [action, arg] = positionals;
    const need = (what: string) => {
      if (!arg) throw new UsageError(`skills ${action} needs ${what}`);
      return arg;
    };
    switch (action) {
      case "list":
        return await list(learned, json);
      case "check": {
        const r = await staticReview(need("a file"));
        print(
          json,
          r,
          `${r.file}: ${r.passed ? "passed" : "FAILED"}\n${formatFindings(r.findings)}`,
        );
        return r.passed ? 0 : 1;
      }
      case "test": {
        const ws = await Deno.makeTempDir({ prefix: "skills_test_ws_" });
        try {
          const r = await runGeneratedTests(need("a test file"), {
            workspaceDir: ws,
            learnedSkillsDir: learned,
          });
          const lines = r.tests.map((t) =>
            `${t.passed ? "ok  " : "FAIL"} ${t.name}${
              t.failure ? `\n     ${t.failure.split("\n")[0]}` : ""
            }`
          );
          const cov = r.lineCoverage === null ? "n/a" : `${(r.lineCoverage * 100).toFixed(1)}%`;
          print(
            json,
            r,
            `${lines.join("\n")}\n${r.passed} passed, ${r.failed} failed, line coverage ${cov}${
              r.error ? `\n${r.error}` : ""
            }`,
          );
          return r.ok ? 0 : 1;
        } finally {
          await Deno.remove(ws, { recursive: true });
        }
      }
      case "analyze": {
        const name = need("a session name");
        const file = await readSessionFile(`${sessions}/${name}`).catch(async (e) => {
          const known = await savedSessions(sessions);
          throw new RuntimeError(
            "no_session",
            `${(e as Error).message.split("\n")[0]}; ` +
              (known.length
                ? `saved sessions in ${sessions}: ${known.slice(0, 8).join(", ")}`
                : `${sessions} holds no saved session (:save <name> in the REPL makes one)`),
          );
        });
        const s = await analyzeHistory(file.history, { minOccurrences: intFlag(values, "min", 2) });
        print(
          json,
          s,
          s.length === 0
            ? "no repeated patterns"
            : s.map((x) =>
              `${x.name}: ${x.occurrences}x, ~${x.estimatedTokensSaved} tokens saved; ${x.description}`
            ).join("\n"),
        );
        return 0;
      }
      case "approve":
        return await approve(learned, need("a pending function name"));
      default:
        throw new UsageError(
          action ? `unknown skills action "${action}"` : "missing skills action",
        );
    }
  },
};

/** Names of the folders in `dir` that hold a saved session. */
async function savedSessions(dir: string): Promise<string[]> {
  const names: string[] = [];
  for (const name of await entries(dir)) {
    if (await Deno.stat(`${dir}/${name}/session.json`).then(() => true, () => false)) {
      names.push(name);
    }
  }
  return names.sort();
}

function print(json: boolean, data: unknown, text: string): void {
  console.log(json ? JSON.stringify(data, null, 2) : text);
}

async function list(learned: string, json: boolean): Promise<number> {
  const rows: Record<string, unknown>[] = [];
  for (
    const [kind, dir] of [["function", `${learned}/functions`], [
      "pending",
      `${learned}/functions/.pending`,
    ], ["agent", `${learned}/agents`]] as const
  ) {
    for (const name of await entries(dir)) {
      if (kind === "function" && name.endsWith(".ts")) {
        const s = await readSkill(`${dir}/${name}`).catch((e) => e as Error);
        const base = name.slice(0, -3);
        rows.push(
          s instanceof Error ? { kind, name: base, error: s.message } : {
            kind,
            name: base,
            version: s.meta.version,
            created: s.meta.created,
            model: s.meta.model,
            intact: s.intact,
            archived: await listVersions(dir, base),
          },
        );
      } else if (kind !== "function" && !name.startsWith(".")) rows.push({ kind, name });
    }
  }
  if (json) console.log(JSON.stringify(rows, null, 2));
  else if (rows.length === 0) console.log(`no learned skills under ${learned}/`);
  else {
    for (const r of rows) {
      const detail = r.error
        ? `ERROR ${r.error}`
        : r.version
        ? `v${r.version} ${r.created} ${r.intact ? "hash ok" : "HASH MISMATCH"}`
        : "";
      console.log(`${String(r.kind).padEnd(9)} ${String(r.name).padEnd(28)} ${detail}`);
    }
  }
  return 0;
}

async function approve(learned: string, name: string): Promise<number> {
  const dir = `${learned}/functions/.pending/${name}`;
  let report: { session?: string };
  try {
    report = JSON.parse(await Deno.readTextFile(`${dir}/report.json`));
  } catch {
    throw new UsageError(`no pending function "${name}" under ${learned}/functions/.pending/`);
  }
  const code = await Deno.readTextFile(`${dir}/${name}.ts`);
  const review = await staticReview(`${dir}/${name}.ts`);
  if (!review.passed) {
    console.error(
      `Cannot approve "${name}": the static checks fail now\n${formatFindings(review.findings)}`,
    );
    return 1;
  }
  const w = await writeVersioned(`${learned}/functions`, name, code, {
    model: "approved-by-cli",
    session: report.session ?? "unknown",
  });
  await Deno.mkdir(`${learned}/tests`, { recursive: true });
  await Deno.copyFile(`${dir}/${name}_test.ts`, `${learned}/tests/${name}_test.ts`).catch(() => {});
  await Deno.remove(dir, { recursive: true });
  console.log(`approved ${name} v${w.meta.version} -> ${w.path}`);
  return 0;
}

async function entries(dir: string): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) out.push(e.name);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return out.sort();
}
