/**
 * `save_session_state(name)` / `load_session_state(name)`. Saving flushes the kernel's own
 * checkpoint (v8-serialised data variables, written after every successful cell) and copies the
 * changed files to `sessions/<name>/checkpoint/`, then writes session.json. Loading into a fresh
 * kernel re-imports learned functions (by path, hash-checked), replays definitions, and restores
 * data through the kernel's checkpoint loader, then reports what came back and what did not.
 */
import type { ChatMessage } from "../model/mod.ts";
import type { HistoryRecord } from "../evolution/history_record.ts";
import { parseSkill } from "../evolution/skill_file.ts";
import { importCell } from "../evolution/learned_loader.ts";
import { definitionsOnly, extractDefinitions } from "./definitions.ts";
import { DECL_KINDS, isBindingName } from "../kernel/replay_definitions.ts";
import { checkLearnedRefs, collectLearnedRefs, type LearnedCheck } from "./learned_refs.ts";
import {
  assertSessionName,
  readSessionFile,
  type SessionFile,
  writeSessionFile,
} from "./session_file.ts";
import { syncDir } from "./sync_dir.ts";

/** What sessions need of a kernel (core/kernel's Kernel fits). */
export interface SessionKernel {
  /** Kernel.history, or KernelPort.history() (cell sources; taken as successful). */
  readonly history: readonly { code: string; ok: boolean }[] | (() => readonly string[]);
  execute(code: string, options?: { timeoutMs?: number }): Promise<SessionCellResult>;
  /** Also waits for the pending checkpoint of the last cell. */
  listVariables(): Promise<{ name: string }[]>;
}

/** The part of a cell result sessions read. */
export interface SessionCellResult {
  ok: boolean;
  error: { message: string } | null;
}

/** Where things live. */
export interface SessionPaths {
  sessionsDir: string;
  learnedDir: string;
  /** The kernel's workspace (its checkpoint is `<workspace>/.kernel/checkpoint`). */
  workspaceDir: string;
}

/** What to save besides the kernel. */
export interface SaveInput {
  conversation: readonly ChatMessage[];
  history: readonly HistoryRecord[];
}

/** Saves the session `name`; returns the session folder and the bytes of data copied. */
export async function saveSessionState(
  name: string,
  kernel: SessionKernel,
  input: SaveInput,
  paths: SessionPaths,
): Promise<
  { dir: string; copiedBytes: number; variables: number; refused: string[]; ms: number }
> {
  assertSessionName(name);
  const t0 = performance.now();
  await kernel.listVariables(); // flushes the checkpoint of the last cell
  const dir = `${paths.sessionsDir}/${name}`;
  const ckpt = `${paths.workspaceDir}/.kernel/checkpoint`;
  const copiedBytes = await syncDir(ckpt, `${dir}/checkpoint`);
  const index = await readIndex(`${dir}/checkpoint`);
  const refused: string[] = [];
  const variables = Object.values(index).filter((v) => {
    const ok = validVariable(v) === undefined;
    if (!ok) refused.push(printable(v?.name));
    return ok;
  }).map((v) => ({ name: v.name, kind: v.kind }));
  const cells = typeof kernel.history === "function"
    ? kernel.history().map((code) => ({ code, ok: true }))
    : kernel.history.map((c) => ({ code: c.code, ok: c.ok }));
  const file: SessionFile = {
    version: 1,
    name,
    savedAt: new Date().toISOString(),
    conversation: [...input.conversation] as SessionFile["conversation"],
    history: [...input.history],
    cells,
    definitions: extractDefinitions(cells),
    variables,
    learned: await collectLearnedRefs(paths.learnedDir),
  };
  await writeSessionFile(dir, file);
  return {
    dir,
    copiedBytes,
    variables: file.variables.length,
    refused,
    ms: performance.now() - t0,
  };
}

/** What loading restored. */
export interface LoadReport {
  conversation: ChatMessage[];
  history: HistoryRecord[];
  learned: LearnedCheck;
  /** Learned functions imported into the kernel, by name. */
  functions: string[];
  restored: string[];
  /** Variables or definitions that could not be brought back, with the reason. */
  lost: { what: string; reason: string }[];
  ms: number;
}

const K = `globalThis[Symbol.for("neurosync.kernel")]`;

/** Loads the session `name` into `kernel` (normally a fresh one). */
export async function loadSessionState(
  name: string,
  kernel: SessionKernel,
  paths: SessionPaths,
): Promise<LoadReport> {
  assertSessionName(name);
  const t0 = performance.now();
  const dir = `${paths.sessionsDir}/${name}`;
  const file = await readSessionFile(dir);
  const learned = await checkLearnedRefs(paths.learnedDir, file.learned);
  const lost: LoadReport["lost"] = [];
  const functions: string[] = [];
  for (const ref of [...learned.ok, ...learned.changed].filter((r) => r.kind === "function")) {
    const path = `${paths.learnedDir}/${ref.path}`;
    const text = await Deno.readTextFile(path);
    const skill = await parseSkill(text, path).catch(() => undefined);
    if (learned.changed.includes(ref) && !skill?.intact) {
      lost.push({ what: ref.path, reason: "changed outside the pipeline (hash mismatch)" });
      continue;
    }
    const r = await kernel.execute(importCell(path, ref.sha256, text));
    if (r.ok) functions.push(ref.path.replace(/^functions\/|\.ts$/g, ""));
    else lost.push({ what: ref.path, reason: r.error?.message ?? "import failed" });
  }
  for (const ref of learned.missing) lost.push({ what: ref.path, reason: "missing" });
  for (const saved of file.definitions) {
    const def = definitionsOnly(saved);
    const what = printable(saved.split("\n")[0]);
    if (def?.dropped) {
      lost.push({ what, reason: `${def.dropped} statement(s) that are not definitions` });
    }
    if (!def?.code) continue;
    const r = await kernel.execute(def.code);
    if (!r.ok) lost.push({ what, reason: r.error?.message ?? "replay failed" });
  }
  const restored: string[] = [];
  const variables = file.variables.filter((v) => {
    const bad = validVariable(v);
    if (bad) lost.push({ what: printable(v.name), reason: bad });
    return !bad;
  });
  if (variables.length) {
    const into = `${paths.workspaceDir}/.kernel/restore`;
    await syncDir(`${dir}/checkpoint`, into);
    const load = await kernel.execute(
      `await ${K}.load(${JSON.stringify(await Deno.realPath(into))}); void 0`,
    );
    if (!load.ok) throw new Error(`Cannot load session "${name}": ${load.error?.message}`);
    const decl = variables.map((v) => {
      const take = `${K}.take(${JSON.stringify(v.name)})`;
      return v.kind === "let" || v.kind === "const" || v.kind === "var"
        ? `${v.kind} ${v.name} = ${take};`
        : `globalThis[${JSON.stringify(v.name)}] = ${take};`;
    });
    const r = await kernel.execute(decl.join("\n") + "\nvoid 0");
    if (r.ok) restored.push(...variables.map((v) => v.name));
    else {for (const v of variables) {
        lost.push({ what: v.name, reason: r.error?.message ?? "restore failed" });
      }}
    await Deno.remove(into, { recursive: true }).catch(() => {});
  }
  return {
    conversation: file.conversation as ChatMessage[],
    history: file.history,
    learned,
    functions,
    restored,
    lost,
    ms: performance.now() - t0,
  };
}

/** Why a checkpoint entry cannot be restored as code, or undefined when it can. */
function validVariable(v: { name?: unknown; kind?: unknown } | undefined): string | undefined {
  if (!isBindingName(v?.name)) return "not a valid variable name (refused)";
  if (typeof v?.kind !== "string" || !DECL_KINDS.has(v.kind)) {
    return `unknown declaration kind ${printable(v?.kind)} (refused)`;
  }
  return undefined;
}

/** A short, quoted form of untrusted text for a report. */
function printable(x: unknown): string {
  const s = JSON.stringify(typeof x === "string" ? x : String(x)) ?? "";
  return s.length > 60 ? `${s.slice(0, 57)}..."` : s;
}

async function readIndex(dir: string): Promise<Record<string, { name: string; kind: string }>> {
  try {
    return JSON.parse(await Deno.readTextFile(`${dir}/index.json`));
  } catch {
    return {};
  }
}

/** Lists saved sessions (folders with a session.json). */
export async function listSessions(sessionsDir: string): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const e of Deno.readDir(sessionsDir)) {
      if (
        e.isDirectory && await Deno.stat(`${sessionsDir}/${e.name}/session.json`).catch(() => null)
      ) {
        out.push(e.name);
      }
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return out.sort();
}
