/** Input checks of the memory store; every failure names the field and the bad value. */
import { MemoryInputError } from "./errors.ts";
import { MEMORY_TYPES, type MemoryType, type NewMemory } from "./types.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Throws unless `type` is one of the platform's logical tables. */
export function checkType(type: unknown): asserts type is MemoryType {
  if (!(MEMORY_TYPES as readonly unknown[]).includes(type)) {
    throw new MemoryInputError(
      `Unknown memory type ${JSON.stringify(type)}: expected one of ${MEMORY_TYPES.join(", ")}`,
    );
  }
}

/** Throws unless `text` is a non-blank string of at most `maxChars` characters. */
export function checkText(text: unknown, maxChars: number, field = "content.text"): string {
  if (typeof text !== "string") {
    throw new MemoryInputError(`${field} must be a string, got ${typeof text}`);
  }
  if (text.trim() === "") throw new MemoryInputError(`${field} is empty`);
  if (text.length > maxChars) {
    throw new MemoryInputError(
      `${field} is too long: ${text.length} characters, the limit is ${maxChars}`,
    );
  }
  return text;
}

/** Throws unless `id` is a UUID (the platform's id columns are uuid). */
export function checkUuid(id: unknown, field: string): string {
  if (typeof id !== "string" || !UUID.test(id)) {
    throw new MemoryInputError(`${field} must be a UUID, got ${JSON.stringify(id)}`);
  }
  return id;
}

/** Throws unless `v` is a finite number in [0, 1]. */
export function checkImportance(v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > 1) {
    throw new MemoryInputError(`importance must be a number from 0 to 1, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** Throws unless `vector` has `dim` finite numbers. */
export function checkVector(vector: number[], dim: number): void {
  if (vector.length !== dim) {
    throw new MemoryInputError(
      `Embedding has ${vector.length} dimensions, the store uses ${dim} (embedding.dim)`,
    );
  }
  if (!vector.every(Number.isFinite)) throw new MemoryInputError("Embedding has non-finite values");
}

/** Validates a whole new memory. */
export function checkNewMemory(m: NewMemory, maxChars: number): void {
  if (!m || typeof m !== "object") throw new MemoryInputError("memory must be an object");
  checkType(m.type);
  if (!m.content || typeof m.content !== "object") {
    throw new MemoryInputError("content must be an object with a text field");
  }
  checkText(m.content.text, maxChars);
  for (const f of ["id", "entityId", "agentId", "roomId", "worldId"] as const) {
    if (m[f] !== undefined) checkUuid(m[f], f);
  }
  if (m.importance !== undefined) checkImportance(m.importance);
  if (m.createdAt !== undefined && Number.isNaN(m.createdAt.getTime?.())) {
    throw new MemoryInputError("createdAt is not a valid date");
  }
}
