/**
 * Where self-evolution keeps its files. Approved skills live in `learned_skills/` (read-only for
 * kernels). Everything not yet approved (pending functions, tests and sub-agents, staging copies,
 * test scratch folders) lives in the state folder `<database.dataDir>/evolution/` (default
 * `./data/evolution`), outside learned_skills/ so a kernel never reads it and the project's
 * `deno test` never collects it. Both paths are absolute once made here: a relative path would
 * resolve against a child process's cwd (a kernel's workspace) or make an invalid file URL.
 */
import { resolve } from "node:path";

/** The two roots of self-evolution, absolute. */
export interface EvolutionPaths {
  /** Approved functions, tests and sub-agents (`paths.learnedSkills`). */
  learnedDir: string;
  /** Pending artefacts and scratch (`<dataDir>/evolution`). */
  stateDir: string;
}

/** What is pending: a function, a test file, a sub-agent. */
export type PendingKind = "functions" | "tests" | "agents";

/** Absolute paths from the configured ones (relative ones resolve against the cwd). */
export function evolutionPaths(learnedDir: string, dataDir: string): EvolutionPaths {
  return { learnedDir: resolve(learnedDir), stateDir: resolve(dataDir, "evolution") };
}

/** The folder of one pending artefact. */
export function pendingDir(stateDir: string, kind: PendingKind, name: string): string {
  return `${stateDir}/pending/${kind}/${name}`;
}

/** A fresh scratch folder under `<stateDir>/tmp/` (the caller removes it). */
export async function scratchDir(stateDir: string, prefix: string): Promise<string> {
  await Deno.mkdir(`${stateDir}/tmp`, { recursive: true });
  return await Deno.realPath(await Deno.makeTempDir({ dir: `${stateDir}/tmp`, prefix }));
}

/** Pending folders left in learned_skills/ by older versions (`functions/.pending`, `agents/.pending`). */
export async function legacyPending(learnedDir: string): Promise<string[]> {
  const out: string[] = [];
  for (const kind of ["functions", "agents"]) {
    const dir = `${learnedDir}/${kind}/.pending`;
    try {
      for await (const e of Deno.readDir(dir)) if (e.isDirectory) out.push(`${dir}/${e.name}`);
    } catch {
      // none
    }
  }
  return out.sort();
}
