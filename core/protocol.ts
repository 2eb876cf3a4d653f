/**
 * The wire protocol between the supervisor and its actors (Web Workers and subprocesses).
 * Every envelope is a tagged union member with a zod schema, validated where it crosses an
 * isolate boundary. Routing data (ids) sits beside the payload, not inside it. A malformed
 * envelope is rejected with an error naming the message type and field; it never throws
 * across the boundary.
 */
import { z } from "zod";

/** An error as it travels between isolates. */
export const ErrorInfoSchema = z.object({
  name: z.string(),
  message: z.string(),
  stack: z.string().optional(),
});
export type ErrorInfo = z.infer<typeof ErrorInfoSchema>;

const id = z.string().min(1);

/** Supervisor → actor. */
export const ToActorSchema = z.discriminatedUnion("type", [
  /** First message: who the actor is and its spawn-time config (JSON). */
  z.object({ type: z.literal("init"), name: z.string(), kind: z.string(), config: z.unknown() }),
  /** A message for `receive`; with `id` it is an ask and needs a reply, without a tell. */
  z.object({ type: z.literal("deliver"), id: id.optional(), msg: z.unknown() }),
  /** The answer to a capability request the actor made, or why it failed. */
  z.object({ type: z.literal("capability_result"), id, value: z.unknown() }),
  z.object({ type: z.literal("capability_error"), id, error: ErrorInfoSchema }),
  /** Graceful stop: the actor runs its `stop` hook, then says `stopped`. */
  z.object({ type: z.literal("stop") }),
]);
export type ToActor = z.infer<typeof ToActorSchema>;

/** Actor → supervisor. */
export const FromActorSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ready") }),
  z.object({ type: z.literal("init_failed"), error: ErrorInfoSchema }),
  /** The answer to an ask, or why `receive` failed. */
  z.object({ type: z.literal("reply"), id, value: z.unknown() }),
  z.object({ type: z.literal("failure"), id, error: ErrorInfoSchema }),
  /** Ask the supervisor for a capability (another actor, the model, a query, ...). */
  z.object({ type: z.literal("capability"), id, name: z.string().min(1), args: z.unknown() }),
  z.object({
    type: z.literal("log"),
    level: z.enum(["debug", "info", "warn", "error"]),
    event: z.string(),
    fields: z.record(z.string(), z.unknown()).default({}),
  }),
  z.object({ type: z.literal("stopped") }),
]);
export type FromActor = z.infer<typeof FromActorSchema>;

/** A parse result: the value, or an error message that names type and field. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Validates `data` against a tagged-union schema. The error names the message type (when
 * there is one) and every offending field path, e.g.
 * `malformed "deliver" message from worker: field "id": expected string, received number`.
 */
export function parseMessage<T>(schema: z.ZodType<T>, data: unknown, where: string): Parsed<T> {
  const result = schema.safeParse(data);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, error: describeZodError(result.error, data, where) };
}

/** Formats a zod error for a message that failed validation. */
export function describeZodError(error: z.ZodError, data: unknown, where: string): string {
  const type = data && typeof data === "object" && "type" in data
    ? String((data as { type: unknown }).type)
    : undefined;
  const what = type === undefined ? "message" : `"${type}" message`;
  const fields = error.issues.map((issue) => {
    const path = issue.path.map(String).join(".");
    return path ? `field "${path}": ${issue.message}` : issue.message;
  });
  return `malformed ${what} ${where}: ${fields.join("; ")}`;
}

/** Prefix of protocol lines on a subprocess's stdout; other lines are the child's own output. */
export const FRAME_PREFIX = "\u001e";
