/**
 * Supervisor side of crash recovery. After each successful cell it asks the kernel to
 * checkpoint the data variables the cell may have changed (the names it mentions, followed
 * through the user functions it calls); after a restart it replays the definitions (functions,
 * side-effect-free classes, imports: replay_definitions.ts) cut out of the cells that made them,
 * never whole cells, then loads the checkpoint, and says what came back.
 */
import type { Logger } from "../log.ts";
import { cellExpression, type KernelProcess } from "./kernel_process.ts";
import type { TransformedCell } from "./transform.ts";
import { safeJsonParse } from "./safe_json.ts";
import { isBindingName, replayableJs } from "./replay_definitions.ts";

const REPLAY_TIMEOUT_MS = 10_000;

/** Checkpoint bookkeeping for one kernel. */
export class Checkpointer {
  readonly dir: string;
  /** Declaration kind of every name declared by a successful cell or setVariable. */
  readonly kinds = new Map<string, string>();
  #log: Logger;
  #uses = new Map<string, string[]>(); // definition name -> identifiers of its cell
  #replay: { js: string; kinds: Record<string, string>; definitions: string[] }[] = [];
  #names = new Set<string>(); // user names at the last checkpoint

  constructor(dir: string, log: Logger) {
    this.dir = dir;
    this.#log = log;
  }

  /** Records a set variable's kind. */
  noteSet(name: string, kind: string): void {
    this.kinds.set(name, kind);
  }

  /** Bookkeeping and checkpoint after a successful cell. */
  async afterCell(proc: KernelProcess, t: TransformedCell): Promise<void> {
    for (const [n, k] of Object.entries(t.kinds)) this.kinds.set(n, k);
    for (const d of t.definitions) this.#uses.set(d, t.identifiers);
    if (t.definitions.length) {
      // A cell that redefines everything an earlier replay cell defined makes that one moot.
      const defs = new Set(t.definitions);
      this.#replay = this.#replay.filter((c) => !c.definitions.every((d) => defs.has(d)));
      const js = replayableJs(t.js);
      const kinds = Object.fromEntries(t.definitions.map((d) => [d, t.kinds[d] ?? "const"]));
      if (js) this.#replay.push({ js, kinds, definitions: t.definitions });
    }
    const dirty = new Set([...t.declared, ...t.identifiers]);
    for (const id of dirty) for (const u of this.#uses.get(id) ?? []) dirty.add(u);
    const candidates = [...dirty].filter((n) =>
      this.kinds.has(n) || this.#names.has(n) || !t.declared.length
    );
    if (candidates.length === 0) return;
    await this.save(proc, candidates);
  }

  /** Checkpoints `names` (those that are data); refreshes the known user names. */
  async save(proc: KernelProcess, names: string[]): Promise<void> {
    const t0 = performance.now();
    const raw = await proc.call("checkpoint", [{ value: this.dir }, { value: names }, {
      value: [],
    }]);
    const r = safeJsonParse(String(raw)) as {
      saved: string[];
      skipped: { name: string; reason: string }[];
      bytes: number;
      names: string[];
    };
    this.#names = new Set(r.names);
    this.#log.debug("kernel_checkpoint", {
      saved: r.saved,
      skipped: r.skipped,
      bytes: r.bytes,
      ms: Math.round(performance.now() - t0),
    });
  }

  /** Replays definitions, loads data, and reports restored and lost names. */
  async restore(
    proc: KernelProcess,
    _history: unknown[],
  ): Promise<{ restored: string[]; lost: string[]; stale: string[] }> {
    const before = new Set([...this.#names, ...this.kinds.keys()]);
    for (const cell of this.#replay) {
      const ctl = new AbortController();
      const timer = setTimeout(() => ctl.abort(), REPLAY_TIMEOUT_MS);
      try {
        await proc.evaluate(cellExpression(cell.js, cell.kinds), ctl.signal);
      } catch {
        await proc.host.interrupt().catch(() => {});
        await proc.evaluate("1").catch(() => {});
      } finally {
        clearTimeout(timer);
      }
    }
    const loaded = safeJsonParse(String(await proc.call("load", [{ value: this.dir }]))) as {
      vars: { name: string; kind: string }[];
      stale?: string[];
    };
    for (const v of loaded.vars) {
      // The index is written inside the kernel: a name is pasted into code only if it is one.
      if (!isBindingName(v.name)) {
        this.#log.warn("kernel_restore_refused", { name: String(v.name).slice(0, 80) });
        continue;
      }
      const kind = v.kind === "let" || v.kind === "const" ? v.kind : undefined;
      const code = kind
        ? `${kind} ${v.name} = globalThis[Symbol.for("neurosync.kernel")].take(${
          JSON.stringify(v.name)
        });`
        : `globalThis[${
          JSON.stringify(v.name)
        }] = globalThis[Symbol.for("neurosync.kernel")].take(${JSON.stringify(v.name)});`;
      const r = await proc.evaluate(cellExpression(code, kind ? { [v.name]: kind } : {}));
      if (r.exceptionDetails) this.#log.warn("kernel_restore_failed", { name: v.name });
    }
    await proc.call("finish", [{}, { value: false }, { value: 0 }]); // drop replay output
    const now = new Set(
      (safeJsonParse(String(await proc.call("names", []))) as { name: string }[]).map((n) =>
        n.name
      ),
    );
    const restored = [...before].filter((n) => now.has(n)).sort();
    const lost = [...before].filter((n) => !now.has(n)).sort();
    this.#names = now;
    const stale = (loaded.stale ?? []).filter((n) => now.has(n)).sort();
    return { restored, lost, stale };
  }
}
