/**
 * Finds sub-agents by name: built-in ones are actor files `actors/<name>.ts` exporting a
 * `definition` (trusted project code, imported); generated ones are data folders
 * `learned_skills/agents/<name>/` (`agent.json` + `prompt.md`, see learned_agent.ts), read and
 * validated, never imported: model-written code never runs in the supervisor.
 */
import { defineSubagent, type SubagentDefinition } from "./subagent_definition.ts";
import { AGENT_FILE, isLegacyAgent, readLearnedAgent } from "./learned_agent.ts";

/** Where sub-agent files live. */
export interface SubagentDirs {
  actorsDir: string;
  learnedDir: string;
}

/** A sub-agent found on disk: the actor file to spawn and its definition. */
export interface SubagentEntry {
  definition: SubagentDefinition;
  /** Absolute path of the actor file to spawn. */
  actorFile: string;
  /** True for learned_skills agents (spawned as the generic actor with the definition). */
  generic: boolean;
}

const NAME = /^[a-z][a-z0-9_]*$/;

/** Loads the sub-agent `name`; throws an Error naming what is missing or wrong. */
export async function findSubagent(name: string, dirs: SubagentDirs): Promise<SubagentEntry> {
  if (!NAME.test(name)) throw new Error(`Sub-agent name "${name}" is not lower_snake_case`);
  const builtin = absolute(`${dirs.actorsDir}/${name}.ts`);
  if (name !== "subagent" && await exists(builtin)) {
    const mod = await import(`file://${builtin}`) as { definition?: unknown };
    if (!mod.definition) {
      throw new Error(`Cannot use "${builtin}" as a sub-agent: it exports no \`definition\``);
    }
    return {
      definition: defineSubagent(mod.definition as SubagentDefinition, builtin),
      actorFile: builtin,
      generic: false,
    };
  }
  const folder = absolute(`${dirs.learnedDir}/agents/${name}`);
  if (await exists(`${folder}/${AGENT_FILE}`) || await isLegacyAgent(folder)) {
    return {
      definition: await readLearnedAgent(folder, name),
      actorFile: absolute(`${dirs.actorsDir}/subagent.ts`),
      generic: true,
    };
  }
  const known = (await listSubagents(dirs)).join(", ") || "none";
  throw new Error(`Unknown sub-agent "${name}" (available: ${known})`);
}

/** Names of every sub-agent available, built-in first. */
export async function listSubagents(dirs: SubagentDirs): Promise<string[]> {
  const names: string[] = [];
  for (const dir of [dirs.actorsDir, `${dirs.learnedDir}/agents`]) {
    try {
      for await (const e of Deno.readDir(dir)) {
        if (
          dir === dirs.actorsDir && e.isFile && e.name.endsWith(".ts") &&
          !e.name.endsWith("_test.ts")
        ) {
          const text = await Deno.readTextFile(`${dir}/${e.name}`);
          if (text.includes("subagentActor(definition)")) names.push(e.name.slice(0, -3));
        } else if (dir !== dirs.actorsDir && e.isDirectory && NAME.test(e.name)) {
          names.push(e.name);
        }
      }
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  return names.sort();
}

function absolute(path: string): string {
  return path.startsWith("/") ? path : `${Deno.cwd()}/${path}`;
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}
