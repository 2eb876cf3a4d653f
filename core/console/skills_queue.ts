/**
 * Learned skills as the console shows them: approved functions, tests and sub-agents under
 * `learned_skills/`, and the pending ones under `<DATA_DIR>/evolution/pending/<kind>/<name>/`
 * with their files and report (findings, tests, coverage). Approving runs the same checks as
 * `deno task cli skills approve <name>` (the `manual` route without a REPL); rejecting moves the
 * pending folder to `<DATA_DIR>/evolution/rejected/`, so nothing is deleted.
 */
import type { PendingKind } from "../evolution/evolution_paths.ts";

/** One file of a skill, bounded. */
export interface SkillFile {
  name: string;
  text: string;
}

/** A learned or pending skill. */
export interface SkillItem {
  kind: PendingKind;
  name: string;
  files: SkillFile[];
  /** report.json of a pending function, parsed. */
  report?: Record<string, unknown>;
}

const KINDS: PendingKind[] = ["functions", "tests", "agents"];
const MAX_FILE = 8_000;

/** What the console needs from the evolution state. */
export interface SkillsQueue {
  learned(): Promise<SkillItem[]>;
  pending(): Promise<SkillItem[]>;
  approve(kind: PendingKind, name: string): Promise<{ ok: boolean; message: string }>;
  reject(kind: PendingKind, name: string): Promise<void>;
}

/** The queue over the two folders; `approve` is the CLI's approval (see the file doc). */
export function skillsQueue(o: {
  learnedDir: string;
  stateDir: string;
  approve: (name: string) => Promise<{ ok: boolean; message: string }>;
}): SkillsQueue {
  return {
    async learned() {
      const items: SkillItem[] = [];
      for (const kind of KINDS) {
        for (const entry of await list(`${o.learnedDir}/${kind}`)) {
          if (entry.name.startsWith(".")) continue;
          const path = `${o.learnedDir}/${kind}/${entry.name}`;
          const name = entry.name.replace(/\.ts$/, "");
          items.push({
            kind,
            name,
            files: entry.isDirectory ? await files(path) : [await file(path)],
          });
        }
      }
      return items;
    },
    async pending() {
      const items: SkillItem[] = [];
      for (const kind of KINDS) {
        for (const entry of await list(`${o.stateDir}/pending/${kind}`)) {
          if (!entry.isDirectory) continue;
          const dir = `${o.stateDir}/pending/${kind}/${entry.name}`;
          const all = await files(dir);
          const report = all.find((f) => f.name === "report.json");
          let parsed: Record<string, unknown> | undefined;
          try {
            parsed = report ? JSON.parse(report.text) : undefined;
          } catch {
            parsed = undefined;
          }
          items.push({
            kind,
            name: entry.name,
            files: all.filter((f) => f !== report),
            ...(parsed ? { report: parsed } : {}),
          });
        }
      }
      return items;
    },
    approve: (_kind, name) => o.approve(name),
    async reject(kind, name) {
      if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`not a skill name: "${name}"`);
      const to = `${o.stateDir}/rejected/${kind}`;
      await Deno.mkdir(to, { recursive: true });
      await Deno.rename(`${o.stateDir}/pending/${kind}/${name}`, `${to}/${name}-${Date.now()}`);
    },
  };
}

async function list(dir: string): Promise<Deno.DirEntry[]> {
  const out: Deno.DirEntry[] = [];
  try {
    for await (const e of Deno.readDir(dir)) out.push(e);
  } catch {
    // absent
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

async function files(dir: string): Promise<SkillFile[]> {
  const out: SkillFile[] = [];
  for (const e of await list(dir)) if (e.isFile) out.push(await file(`${dir}/${e.name}`));
  return out;
}

async function file(path: string): Promise<SkillFile> {
  const text = await Deno.readTextFile(path).catch((e) => `(unreadable: ${(e as Error).message})`);
  return {
    name: path.split("/").pop()!,
    text: text.length > MAX_FILE ? `${text.slice(0, MAX_FILE)}…` : text,
  };
}
