/**
 * `cli skills`: inspect and manage learned skills outside the REPL: list functions (version,
 * hash check), agents and pending code; run the static review or the sandboxed tests of a file;
 * analyse a saved session's history for repeated patterns; approve pending code (the `manual`
 * approval route when no REPL is attached). Pending code lives in `<dataDir>/evolution/pending/`;
 * approving checks it again (and runs a pending test in the sandbox) before it moves into
 * learned_skills/.
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
import {
  type EvolutionPaths,
  evolutionPaths,
  legacyPending,
  pendingDir,
  scratchDir,
} from "../evolution/evolution_paths.ts";
import { reviewTest, sandboxOptions } from "../evolution/staged_test.ts";
import { migrateLegacyAgents } from "../evolution/migrate_agents.ts";
import { isLegacyAgent, readLearnedAgent } from "../agent/learned_agent.ts";
import { readSessionFile } from "../sessions/session_file.ts";

const USAGE = [
  "deno task cli skills list [--json]",
  "       deno task cli skills check <file.ts> [--json]",
  "       deno task cli skills test <tests/name_test.ts> [--json]",
  "       deno task cli skills analyze <session-name> [--min N] [--json]",
  "       deno task cli skills approve <name>   (a pending function, sub-agent, or <name>_test)",
  "       deno task cli skills migrate-agents   (old code-format sub-agents -> agent.json)",
  "  common: [--learned learned_skills/] [--sessions sessions/] [--data data/]",
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
      data: { type: "string" },
    });
    const config = loadConfig();
    const paths = evolutionPaths(
      (values.learned as string | undefined) ?? config.paths.learnedSkills,
      (values.data as string | undefined) ?? config.database.dataDir,
    );
    const learned = paths.learnedDir;
    const sessions = (values.sessions as string | undefined) ?? config.paths.sessions;
    const json = values.json === true;
    const [action, arg] = positionals;
    const need = (what: string) => {
      if (!arg) throw new UsageError(`skills ${action} needs ${what}`);
      return arg;
    };
    switch (action) {
      case "list":
        return await list(paths, json);
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
        {
          const r = await runGeneratedTests(need("a test file"), {
            learnedSkillsDir: learned,
            scratchRoot: `${paths.stateDir}/tmp`,
            heapMb: config.kernel.heapMb,
            rssMb: config.kernel.rssMb,
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
        return await approve(paths, need("a pending name"), config.kernel);
      case "migrate-agents": {
        const results = await migrateLegacyAgents(learned);
        print(
          json,
          results,
          results.length === 0
            ? "no sub-agent folder in the old code format"
            : results.map((r) => r.ok ? `migrated ${r.name}` : `FAILED ${r.name}: ${r.error}`)
              .join("\n"),
        );
        return results.every((r) => r.ok) ? 0 : 1;
      }
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

async function list(paths: EvolutionPaths, json: boolean): Promise<number> {
  const { learnedDir: learned, stateDir } = paths;
  const rows: Record<string, unknown>[] = [];
  for (
    const [kind, dir] of [
      ["function", `${learned}/functions`],
      ["pending", `${stateDir}/pending/functions`],
      ["pending", `${stateDir}/pending/tests`],
      ["pending", `${stateDir}/pending/agents`],
      ["agent", `${learned}/agents`],
    ] as const
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
      } else if (kind === "agent" && await isLegacyAgent(`${dir}/${name}`)) {
        if (!(await exists(`${dir}/${name}/agent.json`))) {
          rows.push({ kind, name, error: "old code format: run `skills migrate-agents`" });
        } else rows.push({ kind, name });
      } else if (kind !== "function" && !name.startsWith(".")) rows.push({ kind, name });
    }
  }
  for (const dir of await legacyPending(learned)) {
    rows.push({
      kind: "legacy",
      name: dir,
      error: `old pending folder: move it to ${stateDir}/pending/ or delete it`,
    });
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

/** Approves a pending function (with its test) or a pending test file, checking it again. */
async function approve(
  paths: EvolutionPaths,
  name: string,
  limits: { heapMb: number; rssMb: number },
): Promise<number> {
  const { learnedDir: learned, stateDir } = paths;
  const fnDir = pendingDir(stateDir, "functions", name);
  const testDir = pendingDir(stateDir, "tests", name);
  const agentDir = pendingDir(stateDir, "agents", name);
  if (await exists(`${fnDir}/report.json`)) return await approveFunction(paths, name, fnDir);
  if (await exists(agentDir)) {
    await readLearnedAgent(agentDir, name); // validates; throws naming what is wrong
    const dest = `${learned}/agents/${name}`;
    await Deno.remove(dest, { recursive: true }).catch(() => {});
    await Deno.mkdir(dest, { recursive: true });
    for await (const f of Deno.readDir(agentDir)) {
      if (f.isFile) await Deno.copyFile(`${agentDir}/${f.name}`, `${dest}/${f.name}`);
    }
    await Deno.remove(agentDir, { recursive: true });
    console.log(`approved sub-agent ${name} -> ${learned}/agents/${name}/`);
    return 0;
  }
  if (await exists(`${testDir}/${name}.ts`)) {
    const base = name.replace(/_test$/, "");
    const fn = `${learned}/functions/${base}.ts`;
    if (!(await exists(fn))) throw new UsageError(`Cannot approve "${name}": ${fn} is missing`);
    const stage = await scratchDir(stateDir, `approve_${name}_`);
    try {
      await Deno.mkdir(`${stage}/functions`);
      await Deno.mkdir(`${stage}/tests`);
      await Deno.copyFile(fn, `${stage}/functions/${base}.ts`);
      await Deno.copyFile(`${testDir}/${name}.ts`, `${stage}/tests/${name}.ts`);
      const review = await reviewTest(`${stage}/tests/${name}.ts`);
      const run = review.passed
        ? await runGeneratedTests(`${stage}/tests/${name}.ts`, {
          ...sandboxOptions(stage, { paths, sandbox: limits }),
        })
        : undefined;
      if (!review.passed || !run?.ok) {
        console.error(
          `Cannot approve "${name}": ${
            review.passed ? "its tests fail in the sandbox" : "the static checks fail"
          }\n` +
            formatFindings(review.findings),
        );
        return 1;
      }
    } finally {
      await Deno.remove(stage, { recursive: true }).catch(() => {});
    }
    await Deno.mkdir(`${learned}/tests`, { recursive: true });
    await Deno.copyFile(`${testDir}/${name}.ts`, `${learned}/tests/${name}.ts`);
    await Deno.remove(testDir, { recursive: true });
    console.log(`approved ${name} -> ${learned}/tests/${name}.ts`);
    return 0;
  }
  const legacy = (await legacyPending(learned)).find((d) => d.endsWith(`/${name}`));
  if (legacy) {
    throw new UsageError(
      `"${name}" is in the old pending folder ${legacy}: move it to ${fnDir} first`,
    );
  }
  throw new UsageError(`no pending function or test "${name}" under ${stateDir}/pending/`);
}

async function approveFunction(paths: EvolutionPaths, name: string, dir: string): Promise<number> {
  const learned = paths.learnedDir;
  const report = JSON.parse(await Deno.readTextFile(`${dir}/report.json`)) as { session?: string };
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

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
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
