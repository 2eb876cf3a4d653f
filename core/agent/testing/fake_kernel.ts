/**
 * An in-process stand-in for the real kernel, for tests only: cells are plain JavaScript run in
 * one shared scope (top-level `const/let/var/function` at column 0 become scope bindings, the
 * last line's expression is the value). No isolation, no TypeScript, no sync interrupt: it only
 * exists so the loop can be tested while core/kernel is written. Never use it for real tasks.
 */
import type {
  CallTool,
  CellResult,
  ExecuteOptions,
  KernelFactory,
  KernelPort,
  VariableInfo,
} from "../kernel_port.ts";
import { describeValue, renderValue, typeName } from "../render_value.ts";

type CellFn = (scope: object) => Promise<unknown>;
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor as new (
  ...args: string[]
) => CellFn;
/** Helpers the real kernel also offers as globals; routed to the supervisor like tools. */
const HELPERS = [
  "search_tools",
  "describe_tool",
  "list_variables",
  "inspect_variable",
  "call_subagent",
];

/** See the file doc. */
export class FakeKernel implements KernelPort {
  readonly #vars: Record<string, unknown> = {};
  readonly #builtins: Record<string, unknown>;
  readonly #cells: string[] = [];
  #out: string[] = [];
  #err: string[] = [];
  #running: AbortController | undefined;

  constructor(callTool: CallTool) {
    const call = async (name: string, args: unknown) => {
      const r = await callTool(name, args);
      if (r.ok) return r.value;
      throw new Error(`${name}: ${r.error.message} (${r.error.code})`);
    };
    const tools = new Proxy({}, {
      get: (_t, name) => typeof name === "string" ? (args: unknown) => call(name, args) : undefined,
    });
    const log = (sink: () => string[]) => (...a: unknown[]) =>
      sink().push(a.map((x) => typeof x === "string" ? x : renderValue(x, 500)).join(" "));
    this.#builtins = {
      tools,
      console: {
        log: log(() => this.#out),
        info: log(() => this.#out),
        error: log(() => this.#err),
        warn: log(() => this.#err),
      },
    };
    for (const h of HELPERS) {
      this.#builtins[h] = (...args: unknown[]) => call(h, helperArgs(h, args));
    }
    // As the prelude does in the real kernel: send the value, store the answer.
    this.#builtins.call_subagent = async (
      name: string,
      variable: string,
      instructions?: string,
    ) => {
      if (!(variable in this.#vars)) {
        throw new ReferenceError(`call_subagent: no variable named "${variable}"`);
      }
      const value = this.#vars[variable];
      const result = await call("call_subagent", {
        name,
        variable_name: variable,
        instructions,
        value,
      });
      this.#vars[`${name}_result`] = result;
      return result;
    };
  }

  async execute(code: string, options: ExecuteOptions = {}): Promise<CellResult> {
    const start = performance.now();
    this.#cells.push(code);
    this.#out = [];
    this.#err = [];
    const abort = new AbortController();
    this.#running = abort;
    const stop = () => abort.abort();
    options.signal?.addEventListener("abort", stop);
    const timer = options.timeoutMs ? setTimeout(stop, options.timeoutMs) : undefined;
    const stopped = new Promise<never>((_, reject) =>
      abort.signal.addEventListener("abort", () => reject(new Error("Interrupted")))
    );
    try {
      const fn = new AsyncFunction("__scope", `with (__scope) {\n${rewrite(code)}\n}`);
      const value = await Promise.race([fn(this.#scope()), stopped]);
      return this.#result(true, value, null, start);
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      const line = /<anonymous>:(\d+)/.exec(err.stack ?? "")?.[1];
      const error = { name: err.name, message: err.message, line: line ? Number(line) - 3 : null };
      return this.#result(false, undefined, error, start);
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", stop);
      this.#running = undefined;
    }
  }

  interrupt(): void {
    this.#running?.abort();
  }

  listVariables(): Promise<VariableInfo[]> {
    return Promise.resolve(
      Object.entries(this.#vars).map(([name, v]) => ({
        name,
        type: typeName(v),
        summary: renderValue(v, 60),
      })),
    );
  }

  inspectVariable(name: string): Promise<string> {
    if (!(name in this.#vars)) return Promise.reject(new Error(`No variable named "${name}"`));
    return Promise.resolve(describeValue(this.#vars[name]));
  }

  getVariable(name: string): Promise<unknown> {
    if (!(name in this.#vars)) return Promise.reject(new Error(`No variable named "${name}"`));
    return Promise.resolve(structuredClone(this.#vars[name]));
  }

  setVariable(name: string, value: unknown): Promise<void> {
    this.#vars[name] = structuredClone(value);
    return Promise.resolve();
  }

  history(): string[] {
    return [...this.#cells];
  }

  close(): Promise<void> {
    this.interrupt();
    return Promise.resolve();
  }

  #scope(): object {
    const vars = this.#vars;
    const builtins = this.#builtins;
    return new Proxy(vars, {
      has: (_t, k) => typeof k === "string" && (k in vars || k in builtins || !(k in globalThis)),
      get: (_t, k) => {
        if (typeof k !== "string") return undefined;
        if (k in vars) return vars[k];
        if (k in builtins) return builtins[k];
        throw new ReferenceError(`${k} is not defined`);
      },
      set: (_t, k, v) => {
        if (typeof k === "string") vars[k] = v;
        return true;
      },
    });
  }

  #result(ok: boolean, value: unknown, error: CellResult["error"], start: number): CellResult {
    return {
      ok,
      display: ok && value !== undefined ? renderValue(value, 4_000) : "",
      ...(ok ? { value } : {}),
      stdout: this.#out.join("\n"),
      stderr: this.#err.join("\n"),
      error,
      ms: Math.round(performance.now() - start),
    };
  }
}

/** A factory of fresh fake kernels. */
export const fakeKernelFactory: KernelFactory = (callTool) =>
  Promise.resolve(new FakeKernel(callTool));

function helperArgs(name: string, args: unknown[]): unknown {
  switch (name) {
    case "search_tools":
      return { query: args[0], k: args[1] };
    case "describe_tool":
      return { name: args[0] };
    case "inspect_variable":
      return { name: args[0] };
    default:
      return {};
  }
}

/** Column-0 declarations become scope bindings; the last line, if an expression, is returned. */
function rewrite(code: string): string {
  const lines = code
    .replace(/^(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=/gm, "$1 =")
    .replace(/^(async\s+)?function\s*(\*?)\s*([A-Za-z_$][\w$]*)/gm, "$3 = $1function$2 $3")
    .split("\n");
  let i = lines.length - 1;
  while (i >= 0 && !lines[i]!.trim()) i--;
  const last = lines[i]?.trim() ?? "";
  const statement = /^(?:[})\]]|return\b|if\b|for\b|while\b|throw\b|try\b|class\b|\/\/|.*[{,(]$)/;
  if (i >= 0 && last && !statement.test(last) && !/^[A-Za-z_$][\w$.]*\s*=[^=]/.test(last)) {
    lines[i] = `return (${last.replace(/;$/, "")});`;
  }
  return lines.join("\n");
}
