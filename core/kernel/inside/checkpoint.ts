/**
 * Inside the kernel: checkpoints of data variables with `node:v8` serialize, one file per
 * variable in the kernel's own state directory (so 100 MB never crosses the CDP socket and an
 * unchanged variable is not rewritten). A big array of same-shape records is stored as columns
 * instead (record_columns.ts), several times faster to restore. Functions, symbols, promises and
 * the like cannot be serialised; they are reported as skipped and come back only through replay.
 */
// node:v8 is imported statically, so Deno's node-compat bootstrap runs while the kernel's entry
// loads, before any cell. Loaded lazily (from a timer or a checkpoint call) it raced cells:
// "Circular dependency detected", and once a fatal V8 error (GetModuleNamespace on a module not
// yet instantiated) that killed the kernel and its state.
import v8 from "node:v8";
import { decodeRecords, encodeRecords, isRecordColumns } from "./record_columns.ts";

/** What a checkpoint stores about one variable. */
export interface SavedVar {
  name: string;
  kind: string;
  file: string;
  /** Constructor name of a class instance, to re-attach its prototype after replay. */
  ctor?: string;
  /** How long serialising it took, and when (ms since epoch). */
  costMs?: number;
  savedAt?: number;
  /** Changed since this copy was saved (its checkpoint was deferred as too costly). */
  stale?: boolean;
}

/**
 * A variable whose serialisation took longer than this is re-checkpointed at most once per
 * DEFER_FACTOR times its cost, so a 100 MB table does not add seconds after every cell; a
 * restore then says it came back from an older copy ("stale").
 */
const SLOW_MS = 300;
const DEFER_FACTOR = 10;

const fs = {
  writeFileSync: (p: string, d: Uint8Array | string) =>
    typeof d === "string" ? Deno.writeTextFileSync(p, d) : Deno.writeFileSync(p, d),
  readFileSync: (p: string) => Deno.readFileSync(p),
  writePartsSync(p: string, parts: Uint8Array[]) {
    using f = Deno.openSync(p, { write: true, create: true, truncate: true });
    for (const part of parts) {
      for (let at = 0; at < part.length;) at += f.writeSync(part.subarray(at));
    }
  },
  renameSync: (a: string, b: string) => Deno.renameSync(a, b),
  mkdirSync: (p: string, o: { recursive: boolean }) => Deno.mkdirSync(p, o),
};
type Fs = typeof fs;

function fileOf(name: string): string {
  return [...new TextEncoder().encode(name)].map((b) => b.toString(16).padStart(2, "0")).join("") +
    ".bin";
}

/** Serialises each entry into `dir`, drops `removed`, rewrites the index; returns what failed. */
export function saveCheckpoint(
  dir: string,
  entries: { name: string; kind: string; value: unknown }[],
  removed: string[],
): { saved: string[]; skipped: { name: string; reason: string }[]; bytes: number } {
  fs.mkdirSync(dir, { recursive: true });
  const index = readIndex(fs, dir);
  const saved: string[] = [];
  const skipped: { name: string; reason: string }[] = [];
  let bytes = 0;
  for (const name of removed) delete index[name];
  const now = Date.now();
  for (const e of entries) {
    const prev = index[e.name];
    if (
      prev?.costMs && prev.costMs > SLOW_MS && looksBig(e.value) &&
      now - (prev.savedAt ?? 0) < prev.costMs * DEFER_FACTOR
    ) {
      prev.stale = true;
      skipped.push({
        name: e.name,
        reason: `deferred: its last checkpoint took ${prev.costMs} ms`,
      });
      continue;
    }
    try {
      const t0 = performance.now();
      const parts = serialize(e.value);
      const file = fileOf(e.name);
      fs.writePartsSync(`${dir}/${file}.tmp`, parts);
      fs.renameSync(`${dir}/${file}.tmp`, `${dir}/${file}`);
      for (const part of parts) bytes += part.byteLength;
      const ctor = instanceCtor(e.value);
      const costMs = Math.round(performance.now() - t0);
      index[e.name] = {
        name: e.name,
        kind: e.kind,
        file,
        costMs,
        savedAt: now,
        ...(ctor ? { ctor } : {}),
      };
      saved.push(e.name);
    } catch (err) {
      delete index[e.name];
      skipped.push({ name: e.name, reason: `${(err as Error)?.message ?? err}`.slice(0, 200) });
    }
  }
  fs.writeFileSync(`${dir}/index.json.tmp`, JSON.stringify(index));
  fs.renameSync(`${dir}/index.json.tmp`, `${dir}/index.json`);
  return { saved, skipped, bytes };
}

/** Columns when the value suits them (record_columns.ts), else v8, also if the encoder fails. */
function serialize(value: unknown): Uint8Array[] {
  try {
    const parts = encodeRecords(value);
    if (parts) return parts;
  } catch { /* e.g. a getter threw: v8 meets it again and reports it */ }
  return [v8.serialize(value)];
}

/** Reads every variable of the checkpoint in `dir`; unreadable ones are reported. */
export function loadCheckpoint(
  dir: string,
): { vars: { meta: SavedVar; value: unknown }[]; failed: string[] } {
  const vars: { meta: SavedVar; value: unknown }[] = [];
  const failed: string[] = [];
  for (const meta of Object.values(readIndex(fs, dir))) {
    try {
      const data = fs.readFileSync(`${dir}/${meta.file}`);
      vars.push({
        meta,
        value: isRecordColumns(data) ? decodeRecords(data) : v8.deserialize(data),
      });
    } catch {
      failed.push(meta.name);
    }
  }
  return { vars, failed };
}

function readIndex(fs: Fs, dir: string): Record<string, SavedVar> {
  try {
    const parsed = JSON.parse(new TextDecoder().decode(fs.readFileSync(`${dir}/index.json`)));
    return parsed && typeof parsed === "object" ? Object.assign(Object.create(null), parsed) : {};
  } catch {
    return Object.create(null);
  }
}

/** Cheap guess that serialising `v` is slow (a reassignment to something small never waits). */
function looksBig(v: unknown): boolean {
  if (!v || typeof v !== "object") return false;
  if (Array.isArray(v)) return v.length > 50_000;
  if (ArrayBuffer.isView(v)) return v.byteLength > 16_000_000;
  if (v instanceof Map || v instanceof Set) return v.size > 50_000;
  let n = 0;
  for (const _ in v) if (++n > 50_000) return true;
  return false;
}

function instanceCtor(v: unknown): string | undefined {
  if (!v || typeof v !== "object") return undefined;
  const proto = Object.getPrototypeOf(v);
  if (!proto || proto === Object.prototype || proto === Array.prototype) return undefined;
  const name = (proto as { constructor?: { name?: string } }).constructor?.name;
  return name && !(name in globalThis) ? name : undefined;
}
