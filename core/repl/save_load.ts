/**
 * `:save` and `:load`. With the real kernel they use the session-state module (core/sessions:
 * kernel checkpoint data, definitions, learned functions, conversation) and say what came back
 * and what was lost. A kernel without a workspace on disk (the test fake) falls back to
 * session_file.ts: the conversation plus the cells, re-run on load.
 */
import type { AgentSession } from "../agent/agent_session.ts";
import { loadSessionState, saveSessionState } from "../sessions/session_state.ts";
import { loadSession, saveSession } from "./session_file.ts";

/** Where saved sessions and learned skills live. */
export interface SaveLoadPaths {
  sessionsDir: string;
  learnedDir: string;
}

/** Saves the REPL session as `name`; returns the line to print. */
export async function saveReplSession(
  name: string,
  session: AgentSession,
  inputs: string[],
  paths: SaveLoadPaths,
): Promise<string> {
  const { kernel } = session;
  if (kernel.workspaceDir) {
    const r = await saveSessionState(name, kernel, {
      conversation: session.transcript,
      history: [],
    }, {
      ...paths,
      workspaceDir: kernel.workspaceDir,
    });
    return `saved session "${name}" in ${r.dir}: conversation, ${r.variables} variable(s), ` +
      `${Math.round(r.copiedBytes / 1024)} KB of data`;
  }
  const path = await saveSession(paths.sessionsDir, name, {
    transcript: session.transcript,
    cells: kernel.history(),
    inputs,
  });
  return `saved ${path} (conversation and ${kernel.history().length} cell(s); values are rebuilt ` +
    "by re-running the cells on :load)";
}

/** Loads session `name` into a fresh kernel; returns the line to print. */
export async function loadReplSession(
  name: string,
  session: AgentSession,
  paths: SaveLoadPaths,
): Promise<string> {
  await session.reset();
  const { kernel } = session;
  if (kernel.workspaceDir) {
    const r = await loadSessionState(name, kernel, { ...paths, workspaceDir: kernel.workspaceDir });
    session.transcript = r.conversation;
    const lost = r.lost.map((l) => `${l.what} (${l.reason})`).join(", ");
    return `loaded "${name}": ${r.conversation.length} message(s); restored ` +
      `${r.restored.join(", ") || "nothing"}${lost ? `; lost ${lost}` : ""}`;
  }
  const saved = await loadSession(paths.sessionsDir, name);
  let failed = 0;
  for (const cell of saved.cells) if (!(await kernel.execute(cell)).ok) failed++;
  session.transcript = saved.transcript;
  return `loaded "${name}": ${saved.transcript.length} message(s), re-ran ` +
    `${saved.cells.length} cell(s)${failed ? `, ${failed} failed` : ""}`;
}
