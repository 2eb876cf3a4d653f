/**
 * `:save` and `:load`. With the real kernel they use the session-state module (core/sessions:
 * kernel checkpoint data, definitions, learned functions, conversation) and say what came back
 * and what was lost; with the session's evolution service the recorded history is saved too, and
 * loading re-indexes learned functions for search_tools. A kernel without a workspace on disk
 * (the test fake) falls back to session_file.ts: the conversation plus the cells, re-run on load.
 */
import type { AgentSession } from "../agent/agent_session.ts";
import { type LoadReport, loadSessionState, saveSessionState } from "../sessions/session_state.ts";
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
  const { kernel, evolution } = session;
  if (kernel.workspaceDir && evolution) {
    await evolution.settled();
    const r = await evolution.saveSession(name);
    return `saved session "${name}" in ${r.dir}: conversation, ${r.variables} variable(s), ` +
      `${evolution.history.length} history record(s)`;
  }
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
  const { kernel, evolution } = session;
  if (kernel.workspaceDir && evolution) {
    const r = await evolution.loadSession(name);
    session.transcript = r.conversation;
    return loadedLine(name, r) +
      (r.functions.length ? `\nlearned functions: ${r.functions.join(", ")}` : "");
  }
  if (kernel.workspaceDir) {
    const r = await loadSessionState(name, kernel, { ...paths, workspaceDir: kernel.workspaceDir });
    session.transcript = r.conversation;
    return loadedLine(name, r);
  }
  const saved = await loadSession(paths.sessionsDir, name);
  let failed = 0;
  for (const cell of saved.cells) if (!(await kernel.execute(cell)).ok) failed++;
  session.transcript = saved.transcript;
  return `loaded "${name}": ${saved.transcript.length} message(s), re-ran ` +
    `${saved.cells.length} cell(s)${failed ? `, ${failed} failed` : ""}`;
}

function loadedLine(name: string, r: LoadReport): string {
  const lost = r.lost.map((l) => `${l.what} (${l.reason})`).join(", ");
  return `loaded "${name}": ${r.conversation.length} message(s); restored ` +
    `${r.restored.join(", ") || "nothing"}${lost ? `; lost ${lost}` : ""}`;
}
