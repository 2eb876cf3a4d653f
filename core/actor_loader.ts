/** Loads an actor file in the supervisor and checks its default export, naming the file. */
import type { ActorDefinition } from "./actor.ts";
import { errorInfo, LoadError } from "./errors.ts";

/** Imports an actor file and checks its default export. */
export async function loadActor(url: string): Promise<ActorDefinition<unknown, unknown>> {
  let mod: { default?: unknown };
  try {
    mod = await import(url);
  } catch (e) {
    throw new LoadError(`Cannot load actor "${url}": ${errorInfo(e).message}`, { cause: e });
  }
  const def = mod.default as Partial<ActorDefinition<unknown, unknown>> | undefined;
  const problem = !def || typeof def !== "object"
    ? "no default export (write `export default defineActor({...})`)"
    : typeof def.receive !== "function"
    ? "default export has no receive function"
    : !def.messages || typeof (def.messages as { safeParse?: unknown }).safeParse !== "function"
    ? "default export has no `messages` zod schema"
    : undefined;
  if (problem) throw new LoadError(`Cannot load actor "${url}": ${problem}`);
  return def as ActorDefinition<unknown, unknown>;
}
