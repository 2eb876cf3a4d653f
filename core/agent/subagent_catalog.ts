/**
 * Finds sub-agents by name: built-in ones are actor files `actors/<name>.ts` exporting a
 * `definition`; generated ones are folders `learned_skills/agents/<name>/` with `config.ts`
 * (default export: name, description, tools, budgets), `prompts.ts` (`SYSTEM_PROMPT`) and an
 * optional `tools.ts` (`TOOLS`: more allowed tool names). Generated files are imported in the
 * supervisor, so they must be reviewed like code before they land (issue 7's approval step).
 */
import { defineSubagent, type SubagentDefinition } from "./subagent_definition.ts";

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
  if (await exists(`${folder}/config.ts`)) {
    return {
      definition: await loadLearned(name, folder),
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

async function loadLearned(name: string, folder: string): Promise<SubagentDefinition> {
  const source = `learned_skills/agents/${name}`;
  const config = (await import(`file://${folder}/config.ts`)).default as Record<string, unknown>;
  if (!config || typeof config !== "object") {
    throw new Error(`${source}/config.ts has no default export`);
  }
  const prompts = await exists(`${folder}/prompts.ts`)
    ? await import(`file://${folder}/prompts.ts`) as { SYSTEM_PROMPT?: unknown }
    : {};
  const extra = await exists(`${folder}/tools.ts`)
    ? (await import(`file://${folder}/tools.ts`) as { TOOLS?: unknown }).TOOLS
    : undefined;
  const tools = [
    ...(config.tools as string[] | undefined ?? []),
    ...(Array.isArray(extra) ? extra as string[] : []),
  ];
  const def = defineSubagent(
    {
      ...config,
      systemPrompt: prompts.SYSTEM_PROMPT ?? config.systemPrompt,
      tools,
    } as SubagentDefinition,
    source,
  );
  if (def.name !== name) {
    throw new Error(`${source}/config.ts names "${def.name}", expected "${name}"`);
  }
  return def;
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
