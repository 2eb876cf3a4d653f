/**
 * Structured logging: one JSON object per line on stderr (time, level, actor, event, fields),
 * or a short readable line for interactive use (the REPL). Actors in workers forward their
 * records to the supervisor, which writes them through the same logger. Every record passes
 * through the one redaction function (redact.ts) before it is written, so no sink sees a secret.
 */
import { redact } from "./redact.ts";
import { terminalSafe } from "./terminal_safe.ts";

/** Severity, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error";

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** One structured record as it is written. */
export interface LogRecord {
  time: string;
  level: LogLevel;
  actor: string;
  event: string;
  [field: string]: unknown;
}

/** Where records go; tests pass an array sink. */
export type LogSink = (record: LogRecord) => void;

/** Settings for {@link Logger}. */
export interface LoggerOptions {
  level?: LogLevel;
  format?: "json" | "pretty";
  sink?: LogSink;
  actor?: string;
  /**
   * Also hand each line to `console` at its level, which Deno's OTel exporter (OTEL_DENO=true)
   * sends as a log record carrying the active span's trace and span ids. Only with
   * `OTEL_DENO_CONSOLE=replace` (set by the launcher), or Deno would print every line twice.
   */
  exportRecords?: boolean;
}

const CONSOLE: Record<LogLevel, (line: string) => void> = {
  debug: (l) => console.debug(l),
  info: (l) => console.info(l),
  warn: (l) => console.warn(l),
  error: (l) => console.error(l),
};

/** A logger bound to an actor name; `child` binds another. */
export class Logger {
  readonly level: LogLevel;
  readonly format: "json" | "pretty";
  readonly actor: string;
  readonly #sink: LogSink;

  constructor(options: LoggerOptions = {}) {
    this.level = options.level ?? "info";
    this.format = options.format ?? "json";
    this.actor = options.actor ?? "supervisor";
    const write = options.sink ??
      ((r: LogRecord) => writeStderr(this.format === "json" ? toJson(r) : pretty(r)));
    this.#sink = options.exportRecords
      ? (r) => {
        write(r);
        CONSOLE[r.level](toJson(r));
      }
      : write;
  }

  /** A logger for another actor that shares this one's sink and level. */
  child(actor: string): Logger {
    return new Logger({ level: this.level, format: this.format, sink: this.#sink, actor });
  }

  /** Writes a record if `level` is at or above this logger's level. */
  log(level: LogLevel, event: string, fields: Record<string, unknown> = {}): void {
    if (ORDER[level] < ORDER[this.level]) return;
    this.#sink(
      redact({ time: new Date().toISOString(), level, actor: this.actor, event, ...fields }),
    );
  }

  debug(event: string, fields?: Record<string, unknown>): void {
    this.log("debug", event, fields);
  }
  info(event: string, fields?: Record<string, unknown>): void {
    this.log("info", event, fields);
  }
  warn(event: string, fields?: Record<string, unknown>): void {
    this.log("warn", event, fields);
  }
  error(event: string, fields?: Record<string, unknown>): void {
    this.log("error", event, fields);
  }
}

/** True when `level` is a valid {@link LogLevel}. */
export function isLogLevel(level: string): level is LogLevel {
  return level in ORDER;
}

/** Serialises a record; errors become `{name, message}` and bigint becomes a string. */
export function toJson(record: LogRecord): string {
  return JSON.stringify(record, (_k, v) => {
    if (v instanceof Error) return { name: v.name, message: v.message };
    if (typeof v === "bigint") return v.toString();
    return v;
  });
}

function pretty(r: LogRecord): string {
  const { time: _t, level, actor, event, ...fields } = r;
  const rest = Object.keys(fields).length ? " " + toJson(fields as LogRecord) : "";
  // JSON leaves C1 controls and bidi marks raw; a person reads this on a terminal.
  return terminalSafe(`${level.toUpperCase().padEnd(5)} ${actor}: ${event}${rest}`);
}

const encoder = new TextEncoder();
function writeStderr(line: string): void {
  Deno.stderr.writeSync(encoder.encode(line + "\n"));
}

/** A logger that keeps records in memory, for tests. */
export function memoryLogger(level: LogLevel = "debug"): { logger: Logger; records: LogRecord[] } {
  const records: LogRecord[] = [];
  return { logger: new Logger({ level, sink: (r) => records.push(r) }), records };
}
