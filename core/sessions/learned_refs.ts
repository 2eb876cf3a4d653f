/**
 * References from a saved session to learned capabilities: each current function file and each
 * sub-agent folder under learned_skills/, by relative path and sha-256 of its content. Loading
 * compares them again and reports what changed or went missing instead of failing silently.
 */
import { sha256Hex } from "../evolution/skill_file.ts";

/** One learned file a session relies on. */
export interface LearnedRef {
  kind: "function" | "agent";
  /** Relative to learned_skills/, e.g. `functions/slugify.ts` or `agents/csv/config.ts`. */
  path: string;
  sha256: string;
}

/** The state of the refs at load time. */
export interface LearnedCheck {
  ok: LearnedRef[];
  changed: LearnedRef[];
  missing: LearnedRef[];
}

/** Every current learned function (not `.versions`/`.pending`) and sub-agent file, hashed. */
export async function collectLearnedRefs(learnedDir: string): Promise<LearnedRef[]> {
  const out: LearnedRef[] = [];
  for (
    const name of await listNames(
      `${learnedDir}/functions`,
      (e) => e.isFile && /^[A-Za-z_][A-Za-z0-9_]{0,63}\.ts$/.test(e.name),
    )
  ) {
    const path = `functions/${name}`;
    out.push({
      kind: "function",
      path,
      sha256: await sha256Hex(await Deno.readTextFile(`${learnedDir}/${path}`)),
    });
  }
  const agentDir = (e: Deno.DirEntry) => e.isDirectory && /^[a-z][a-z0-9_]{0,47}$/.test(e.name);
  for (const agent of await listNames(`${learnedDir}/agents`, agentDir)) {
    const fileOk = (e: Deno.DirEntry) =>
      e.isFile && /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/.test(e.name);
    for (const file of await listNames(`${learnedDir}/agents/${agent}`, fileOk)) {
      const path = `agents/${agent}/${file}`;
      out.push({
        kind: "agent",
        path,
        sha256: await sha256Hex(await Deno.readTextFile(`${learnedDir}/${path}`)),
      });
    }
  }
  return out;
}

/** Re-hashes each ref and sorts them into ok, changed and missing. */
export async function checkLearnedRefs(
  learnedDir: string,
  refs: readonly LearnedRef[],
): Promise<LearnedCheck> {
  const result: LearnedCheck = { ok: [], changed: [], missing: [] };
  for (const ref of refs) {
    let text: string;
    try {
      text = await Deno.readTextFile(`${learnedDir}/${ref.path}`);
    } catch {
      result.missing.push(ref);
      continue;
    }
    ((await sha256Hex(text)) === ref.sha256 ? result.ok : result.changed).push(ref);
  }
  return result;
}

async function listNames(dir: string, keep: (e: Deno.DirEntry) => boolean): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (!e.name.startsWith(".") && !e.name.endsWith("_test.ts") && keep(e)) out.push(e.name);
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return out.sort();
}
