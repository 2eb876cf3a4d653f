/**
 * `:save` / `:load` for the REPL: a session is saved as `sessions/<name>.json` holding the
 * conversation and the source of every kernel cell. Loading restores the conversation and
 * re-runs the cells in a fresh kernel, so state that code can rebuild comes back; side effects
 * run again and values that came from outside (tool results, time) may differ. Full session
 * state (checkpoints) is issue 7's.
 */
import type { ChatMessage } from "../model/types.ts";

/** What a saved session holds. */
export interface SavedSession {
  version: 1;
  savedAt: string;
  transcript: ChatMessage[];
  cells: string[];
  inputs: string[];
}

const NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** The file of session `name` in `dir`; throws on a name that is not a plain word. */
export function sessionPath(dir: string, name: string): string {
  if (!NAME.test(name)) {
    throw new Error(`Session name "${name}" must be 1-64 letters, digits, "-" or "_"`);
  }
  return `${dir}/${name}.json`;
}

/** Writes the session; returns the path. */
export async function saveSession(
  dir: string,
  name: string,
  s: Omit<SavedSession, "version" | "savedAt">,
): Promise<string> {
  const path = sessionPath(dir, name);
  await Deno.mkdir(dir, { recursive: true });
  const body: SavedSession = { version: 1, savedAt: new Date().toISOString(), ...s };
  await Deno.writeTextFile(path, JSON.stringify(body, null, 1));
  return path;
}

/** Reads a saved session; throws naming the file when it is missing or not a session. */
export async function loadSession(dir: string, name: string): Promise<SavedSession> {
  const path = sessionPath(dir, name);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await Deno.readTextFile(path));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new Error(`No saved session "${name}" (${path})`);
    throw new Error(`Cannot read session "${path}": ${(e as Error).message}`);
  }
  const s = parsed as Partial<SavedSession>;
  if (s.version !== 1 || !Array.isArray(s.transcript) || !Array.isArray(s.cells)) {
    throw new Error(`"${path}" is not a saved REPL session`);
  }
  return { inputs: [], ...s } as SavedSession;
}
