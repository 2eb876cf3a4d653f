/**
 * The saved-session file `sessions/<name>/session.json`: conversation, execution history,
 * kernel cells, replayable definitions, data variable names and learned-file references.
 * Validated with zod on load, so a damaged file names its bad field.
 */
import { z } from "zod";
import { HistoryRecordSchema } from "../evolution/history_record.ts";

const Message = z.union([
  z.object({ role: z.literal("system"), content: z.string() }),
  z.object({ role: z.literal("user"), content: z.string() }),
  z.object({
    role: z.literal("assistant"),
    content: z.string(),
    toolCalls: z.array(z.object({ id: z.string(), name: z.string(), arguments: z.string() }))
      .optional(),
  }),
  z.object({ role: z.literal("tool"), toolCallId: z.string(), content: z.string() }),
]);

/** Schema of session.json (version 1). */
export const SessionFileSchema = z.object({
  version: z.literal(1),
  name: z.string(),
  savedAt: z.string(),
  conversation: z.array(Message),
  history: z.array(HistoryRecordSchema),
  cells: z.array(z.object({ code: z.string(), ok: z.boolean() })),
  definitions: z.array(z.string()),
  /** Data variables in the checkpoint, with their declaration kind. */
  variables: z.array(z.object({ name: z.string(), kind: z.string() })),
  learned: z.array(z.object({
    kind: z.enum(["function", "agent"]),
    /** Relative to learned_skills/, never leaving it. */
    path: z.string().regex(
      /^(functions\/[A-Za-z_][A-Za-z0-9_]{0,63}\.ts|agents\/[a-z][a-z0-9_]{0,47}\/[A-Za-z0-9_][A-Za-z0-9_.-]{0,63})$/,
      "not a path inside learned_skills/",
    ),
    sha256: z.string(),
  })),
});

/** The content of session.json. */
export type SessionFile = z.infer<typeof SessionFileSchema>;

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Throws a clear error unless `name` is a safe session folder name. */
export function assertSessionName(name: string): void {
  if (!NAME.test(name) || name.includes("..")) {
    throw new TypeError(
      `Invalid session name ${JSON.stringify(name)}: use letters, digits, _ . - (max 64)`,
    );
  }
}

/** Reads and validates `dir/session.json`. */
export async function readSessionFile(dir: string): Promise<SessionFile> {
  let raw: unknown;
  try {
    raw = JSON.parse(await Deno.readTextFile(`${dir}/session.json`));
  } catch (e) {
    throw new Error(`Cannot load session "${dir}": ${(e as Error).message}`);
  }
  const r = SessionFileSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new Error(`Cannot load session "${dir}": ${i.path.join(".")}: ${i.message}`);
  }
  return r.data;
}

/** Writes `dir/session.json` atomically (temp file, then rename). */
export async function writeSessionFile(dir: string, file: SessionFile): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(`${dir}/session.json.tmp`, JSON.stringify(file));
  await Deno.rename(`${dir}/session.json.tmp`, `${dir}/session.json`);
}
