/**
 * The kernel process's main module. It only installs the kernel's internals (console capture,
 * `tools`, `list_variables`, `inspect_variable`, checkpoints) under a symbol and idles; the
 * supervisor runs cells through CDP `Runtime.evaluate` in REPL mode. Nothing here is trusted
 * by the supervisor: every reply is re-validated there. Arguments: the per-stream output limit
 * and the inspector transport (`netns`: Deno's inspector, reached only through the relay in the
 * kernel's private network namespace; `pipe`: core/kernel/inside/pipe_relay.ts).
 */
import { formatArgs, OutputBuffer } from "./output.ts";
import { display, jsonValue } from "./display.ts";
import { shape, summarize, typeName } from "./summarize.ts";
import { loadCheckpoint, saveCheckpoint } from "./checkpoint.ts";
import { startPipeRelay } from "./pipe_relay.ts";
import { writeFrame } from "../../subprocess_stdio.ts";
import * as workerThreads from "node:worker_threads";
import nodeProcess from "node:process";

// First, before anything a cell could see: the pipe transport drops --allow-sys again.
if (Deno.args[1] === "pipe") startPipeRelay();

const KEY = Symbol.for("neurosync.kernel");
const OUTPUT_LIMIT = Number(Deno.args[0] ?? 65_536);
const stdout = new OutputBuffer(OUTPUT_LIMIT);
const stderr = new OutputBuffer(OUTPUT_LIMIT);
const globalEval = eval;
const declared = new Map<string, string>(); // name -> declaration kind
const lateErrors: { name: string; message: string; stack?: string }[] = [];
const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
let emit: ((payload: string) => void) | undefined;
let nextCall = 1;
let restored = new Map<string, unknown>();
let kept: { value: unknown } | undefined;

function define(name: string, value: unknown): void {
  Object.defineProperty(globalThis, name, {
    value,
    enumerable: false,
    configurable: false,
    writable: false,
  });
}

// console.* is captured per cell; the process's own stdout stays free.
const out = (...a: unknown[]) => stdout.append(formatArgs(a) + "\n");
const err = (...a: unknown[]) => stderr.append(formatArgs(a) + "\n");
for (
  const m of ["log", "info", "debug", "dir", "dirxml", "table", "trace", "group", "groupCollapsed"]
) {
  (console as unknown as Record<string, unknown>)[m] = out;
}
for (const m of ["warn", "error"]) (console as unknown as Record<string, unknown>)[m] = err;
console.assert = (cond?: boolean, ...a: unknown[]) => {
  if (!cond) err("Assertion failed:", ...a);
};

function errorInfo(e: unknown): { name: string; message: string; stack?: string } {
  if (e instanceof Error) {
    const info = { name: e.name, message: e.message };
    return e.stack ? { ...info, stack: e.stack } : info;
  }
  return { name: "Uncaught", message: display(e) };
}

/** Late errors reported per cell (a timer throwing in a loop must not flood anyone). */
const LATE_PER_CELL = 20;
let lateThisCell = 0;

function late(kind: string, e: unknown): void {
  if (++lateThisCell > LATE_PER_CELL) return;
  const info = errorInfo(e);
  const entry = {
    name: String(info.name).slice(0, 100),
    message: `${kind}: ${String(info.message)}`.slice(0, 2_000),
    ...(info.stack ? { stack: String(info.stack).slice(0, 4_000) } : {}),
  };
  if (lateErrors.length < LATE_PER_CELL) lateErrors.push(entry);
  emit?.(JSON.stringify({ t: "late_error", error: entry }));
}
globalThis.addEventListener("unhandledrejection", (e) => {
  e.preventDefault();
  late("unhandled rejection", e.reason);
});
globalThis.addEventListener("error", (e) => {
  e.preventDefault();
  late("uncaught error", e.error);
});

/** Reads a user binding by name (lexical or global) without throwing. */
function read(name: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: globalEval(name) };
  } catch {
    return { ok: false };
  }
}

const IDENT = /^[A-Za-z_$][\w$]*$/;
function userNames(): string[] {
  const names = new Set(declared.keys());
  // User `var`, `function` and undeclared assignments are enumerable globals; runtime
  // internals added later (e.g. by node compat) are not.
  for (const n of Object.keys(globalThis)) if (!baseline.has(n)) names.add(n);
  names.delete("_"), names.delete("_error");
  return [...names].filter((n) => IDENT.test(n) && read(n).ok);
}

function listVariables(): { name: string; type: string; summary: string }[] {
  return userNames().map((name) => {
    const v = (read(name) as { value: unknown }).value;
    return { name, type: typeName(v), summary: shape(v) };
  });
}

function inspectVariable(name: string): string {
  if (typeof name !== "string" || !IDENT.test(name)) {
    throw new TypeError(`inspect_variable: bad name ${display(name)}`);
  }
  if (!userNames().includes(name) && name !== "_" && name !== "_error") {
    throw new ReferenceError(`inspect_variable: no variable named "${name}"`);
  }
  return summarize(name, (read(name) as { value: unknown }).value);
}

// The supervisor's caps (core/kernel/tool_bridge.ts), kept here so an honest cell gets a clear
// error, and calls past the in-flight cap wait here, in the kernel's own memory.
const MAX_TOOL_PAYLOAD = 16_000_000;
const MAX_TOOL_CALLS_IN_FLIGHT = 16;
const MAX_TOOL_CALLS_WAITING = 10_000;
let toolCallsInFlight = 0;
const waitingCalls: (() => void)[] = [];

function callTool(name: string, args: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const id = nextCall++;
    let payload: string;
    try {
      payload = JSON.stringify({ t: "tool", id, name, args });
    } catch (e) {
      return reject(
        new TypeError(`tools.${name}: arguments are not JSON: ${(e as Error).message}`),
      );
    }
    if (payload.length > MAX_TOOL_PAYLOAD) {
      const mb = (payload.length / 1e6).toFixed(1);
      return reject(
        new RangeError(
          `tools.${name}: its arguments are ${mb} MB of JSON, over the ${
            MAX_TOOL_PAYLOAD / 1e6
          } MB ` +
            "a tool call may carry: keep big data in a variable and pass the tool what it needs",
        ),
      );
    }
    if (!emit) return reject(new Error("tools are not connected"));
    const send = () => {
      toolCallsInFlight++;
      pending.set(id, { resolve, reject });
      emit!(payload);
    };
    if (toolCallsInFlight < MAX_TOOL_CALLS_IN_FLIGHT) return send();
    if (waitingCalls.length >= MAX_TOOL_CALLS_WAITING) {
      return reject(
        new RangeError(
          `tools.${name}: ${MAX_TOOL_CALLS_WAITING} tool calls are already waiting (at most ` +
            `${MAX_TOOL_CALLS_IN_FLIGHT} run at once): await them before starting more`,
        ),
      );
    }
    waitingCalls.push(send);
  });
}

/**
 * `tools.word_count(args)` calls "word_count"; `tools.github.create_issue(args)` (and
 * `tools["github.create_issue"](args)`) calls "github.create_issue", an MCP server's tool: each
 * property is a callable that also has properties for the next name segment.
 */
function toolPath(name: string): unknown {
  return new Proxy((args: unknown = {}) => callTool(name, args), {
    get(_f, key) {
      if (typeof key !== "string" || key === "then") return undefined;
      return toolPath(`${name}.${key}`);
    },
  });
}

const tools = new Proxy(Object.freeze({}), {
  get(_t, name) {
    if (typeof name !== "string" || name === "then") return undefined;
    return toolPath(name);
  },
});

const internals = {
  /** Takes the CDP binding the supervisor added and removes it from the global scope. */
  attach(): void {
    const g = globalThis as unknown as Record<string, unknown>;
    const b = g.__kernel_emit;
    if (typeof b === "function") emit = b as (p: string) => void, delete g.__kernel_emit;
  },
  begin(names: Record<string, string>): void {
    kept = undefined;
    lateThisCell = 0;
    for (const [n, k] of Object.entries(names)) declared.set(n, k);
  },
  /** Holds the value of a cell's last expression (see transformCell's `wrapLast`). */
  keep(value: unknown): void {
    kept = { value };
  },
  finish(completion: unknown, threw: boolean, jsonCap: number): string {
    const value = !threw && kept ? kept.value : completion;
    kept = undefined;
    const g = globalThis as unknown as Record<string, unknown>;
    const res: Record<string, unknown> = { stdout: stdout.take(), stderr: stderr.take() };
    if (threw) {
      g._error = value;
      res.error = errorInfo(value);
    } else {
      g._ = value;
      res.display = display(value);
      const json = jsonValue(value, jsonCap);
      if (json !== undefined) res.json = json;
    }
    if (lateErrors.length) res.late = lateErrors.splice(0);
    return JSON.stringify(res);
  },
  settle(id: number, ok: boolean, json: string): void {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    toolCallsInFlight--;
    waitingCalls.shift()?.();
    const v = JSON.parse(json);
    if (ok) p.resolve(v);
    else {p.reject(
        Object.assign(new Error(String(v?.message ?? "tool failed")), {
          name: String(v?.name ?? "ToolError"),
        }),
      );}
  },
  listVariables: () => JSON.stringify(listVariables()),
  inspectVariable: (name: string) => inspectVariable(name),
  getVariable(name: string, cap: number): string {
    const r = IDENT.test(name) && userNames().includes(name) ? read(name) : { ok: false };
    if (!r.ok) throw new ReferenceError(`no variable named "${name}"`);
    const json = jsonValue((r as { value: unknown }).value, cap);
    if (json === undefined) {
      throw new TypeError(`variable "${name}" is not plain JSON data of at most ${cap} characters`);
    }
    return json;
  },
  names: () =>
    JSON.stringify(userNames().map((n) => ({ name: n, kind: declared.get(n) ?? "global" }))),
  async checkpoint(dir: string, names: string[], removed: string[]): Promise<string> {
    const user = userNames();
    const known = new Set(user);
    const entries = names.flatMap((name) => {
      const r = known.has(name) ? read(name) : { ok: false as const };
      if (!r.ok || typeof r.value === "function") return [];
      return [{ name, kind: declared.get(name) ?? "global", value: r.value }];
    });
    const r = await saveCheckpoint(dir, entries, removed);
    return JSON.stringify({ ...r, names: user });
  },
  async load(dir: string): Promise<string> {
    const { vars, failed } = await loadCheckpoint(dir);
    restored = new Map();
    for (const { meta, value } of vars) {
      if (meta.ctor && value && typeof value === "object") {
        const C = read(meta.ctor);
        if (C.ok && typeof C.value === "function") Object.setPrototypeOf(value, C.value.prototype);
      }
      restored.set(meta.name, value);
    }
    const stale = vars.filter((v) => v.meta.stale).map((v) => v.meta.name);
    return JSON.stringify({
      vars: vars.map((v) => ({ name: v.meta.name, kind: v.meta.kind })),
      failed,
      stale,
    });
  },
  take(name: string): unknown {
    const v = restored.get(name);
    restored.delete(name);
    return v;
  },
};

Object.defineProperty(globalThis, KEY, { value: internals, enumerable: false });
// Workers would run threads a cell timeout cannot stop (terminate() does not stop a spin).
class NoWorker {
  constructor() {
    throw new Error("Workers are disabled in the kernel");
  }
}
define("Worker", NoWorker);
// node:worker_threads' Worker extends EventEmitter: its super() call now throws, and the frozen
// class cannot be given its parent back.
Object.setPrototypeOf(workerThreads.Worker, NoWorker);
Object.freeze(workerThreads.Worker);
// Ending the process from a cell would look like success, then crash the next cell: refuse it.
const noExit = (what: string) => () => {
  throw new Error(
    `${what} is not available in the kernel: the kernel lives as long as its session (its ` +
      "variables would be lost). End the cell by returning instead.",
  );
};
define("close", noExit("close()"));
Object.defineProperty(Deno, "exit", { value: noExit("Deno.exit()"), configurable: false });
for (const m of ["exit", "reallyExit", "abort"]) {
  Object.defineProperty(nodeProcess, m, { value: noExit(`process.${m}()`), configurable: false });
}
define("tools", tools);
define("list_variables", () => listVariables());
define("inspect_variable", (name: string) => inspectVariable(name));
// nodeBootstrap: an enumerable global Deno adds when node compat first loads (e.g. node:v8).
const baseline = new Set([
  ...Object.getOwnPropertyNames(globalThis),
  "nodeBootstrap",
  "__kernel_emit",
  "_",
  "_error",
]);
// Keeps the process alive; cells run through the inspector. If a cell clears it (and the pipe's
// stdin is closed), the program ends: the supervisor's next call fails and it restarts the kernel.
setInterval(() => {}, 2 ** 30);
// The supervisor runs no JavaScript here before this (on stdout; under netns that is stderr).
writeFrame({ type: "ready" });
