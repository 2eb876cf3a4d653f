/**
 * What self-analysis reads: one record per executed cell or tool call (code, outcome, duration,
 * tokens), appended by the orchestrator and kept with the session. Validated with zod where it
 * is read back from disk, so a corrupt file names the bad record.
 */
import { z } from "zod";

/** One recorded cell or tool call. */
export const HistoryRecordSchema = z.object({
  kind: z.enum(["cell", "tool"]),
  /** Cell source, or `name(argsJson)` for a tool call. */
  code: z.string(),
  ok: z.boolean(),
  ms: z.number().min(0),
  /** Model tokens spent producing it (completion tokens of the step), when known. */
  tokens: z.number().int().min(0).optional(),
  session: z.string().optional(),
  at: z.string().optional(),
});

/** One recorded cell or tool call. */
export type HistoryRecord = z.infer<typeof HistoryRecordSchema>;

/** Validates records read from disk; the error names the first bad index and field. */
export function parseHistory(value: unknown): HistoryRecord[] {
  const r = z.array(HistoryRecordSchema).safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new TypeError(
    `Invalid history record at ${
      issue.path.map(String).join(".") || "top level"
    }: ${issue.message}`,
  );
}

/** The record of a tool call made outside a cell. */
export function toolRecord(
  name: string,
  args: unknown,
  ok: boolean,
  ms: number,
): HistoryRecord {
  return { kind: "tool", code: `${name}(${JSON.stringify(args)})`, ok, ms };
}
