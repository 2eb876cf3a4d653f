/**
 * Test helpers for driving `deno task repl` with evolution on: a throwaway folder with its own
 * agent.yaml and learned_skills/, and a run of the REPL with piped stdin against a model URL.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../..", import.meta.url).pathname;

/** A scripted orchestrator reply that runs `c` as one cell. */
export const code = (c: string) => ({
  toolCalls: [{ id: "c1", name: "execute_code", arguments: { code: c } }],
});

/** Whether a path exists. */
export const exists = (path: string): Promise<boolean> =>
  Deno.stat(path).then(() => true, () => false);

/** The folders of one test. */
export interface Workdir {
  dir: string;
  file: string;
  learned: string;
  sessions: string;
  /** The data folder; pending generated code waits in `<data>/evolution/pending/`. */
  data: string;
}

/**
 * A fresh test folder with an agent.yaml pointing learned_skills and the data folder into it,
 * outside the project (the launcher grants the configured directories wherever they are), so
 * nothing a test generates can be collected by the project's own `deno test`.
 */
export async function workdir(): Promise<Workdir> {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "test-evo-" }));
  const file = `${dir}/agent.yaml`;
  await Deno.writeTextFile(
    file,
    `paths:\n  learnedSkills: ${dir}/learned_skills\ndatabase:\n  dataDir: ${dir}/data\n` +
      `evolution:\n  approval: manual\n  maxRefinements: 0\n`,
  );
  return {
    dir,
    file,
    learned: `${dir}/learned_skills`,
    sessions: `${dir}/sessions`,
    data: `${dir}/data`,
  };
}

/**
 * Runs the REPL with `lines` on stdin (and `extra` arguments, e.g. `--replay f`); asserts it
 * exits 0 and returns its stdout.
 */
export async function repl(
  url: string,
  w: Workdir,
  lines: string[],
  extra: string[] = [],
): Promise<string> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "task",
      "--quiet",
      "repl",
      "--no-stream",
      "--file",
      w.file,
      "--sessions",
      w.sessions,
      ...extra,
    ],
    cwd: ROOT,
    env: { NO_COLOR: "1", OPENAI_BASE_URL: url, OPENAI_API_KEY: "t", MODEL_TOOL_CALLS: "native" },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(lines.join("\n") + "\n"));
  await writer.close();
  const out = await child.output();
  const stdout = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr) + stdout);
  return stdout;
}
