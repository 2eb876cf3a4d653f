/**
 * Mapping between `memories` rows and {@link Memory}, and the SQL pieces several queries share
 * (columns, importance, filters). Column names are the platform's quoted camelCase.
 */
import type { Memory, SearchQuery } from "./types.ts";

/** The selected columns of `memories m`, in the order {@link rowToMemory} reads. */
export const MEMORY_COLUMNS =
  `m."id", m."type", m."createdAt", m."content", m."entityId", m."agentId", m."roomId", ` +
  `m."worldId", m."unique", m."metadata"`;

/**
 * A memory's importance in [0,1]: `metadata.importance` when numeric, else a fact's
 * `content.importance` (high .9, medium .5, low .2), else 0.5.
 */
export const IMPORTANCE_SQL = `coalesce(
  CASE WHEN jsonb_typeof(m."metadata"->'importance') = 'number'
    THEN (m."metadata"->>'importance')::float8 END,
  CASE m."content"->>'importance' WHEN 'high' THEN 0.9 WHEN 'medium' THEN 0.5
    WHEN 'low' THEN 0.2 END,
  0.5)`;

/** Converts a driver row to a Memory. */
export function rowToMemory(r: Record<string, unknown>): Memory {
  return {
    id: String(r.id),
    type: String(r.type),
    createdAt: r.createdAt instanceof Date ? r.createdAt : new Date(String(r.createdAt)),
    content: (r.content ?? { text: "" }) as Memory["content"],
    entityId: (r.entityId as string | null) ?? null,
    agentId: (r.agentId as string | null) ?? null,
    roomId: (r.roomId as string | null) ?? null,
    worldId: (r.worldId as string | null) ?? null,
    unique: r.unique !== false,
    metadata: (r.metadata ?? {}) as Record<string, unknown>,
  };
}

/** Builds the WHERE conditions of a search, appending parameters to `params`. */
export function filterSql(q: SearchQuery, params: unknown[]): string {
  const where: string[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace("?", `$${params.length}`));
  };
  if (q.type !== undefined) add(`m."type" = ANY(?::text[])`, [q.type].flat());
  if (q.agentId) add(`m."agentId" = ?::uuid`, q.agentId);
  if (q.roomId) add(`m."roomId" = ?::uuid`, q.roomId);
  if (q.entityId) add(`m."entityId" = ?::uuid`, q.entityId);
  if (q.since) add(`m."createdAt" >= ?::timestamptz`, q.since.toISOString());
  if (q.until) add(`m."createdAt" <= ?::timestamptz`, q.until.toISOString());
  if (!q.includeSuperseded) {
    where.push(`NOT (coalesce(m."metadata", '{}'::jsonb) ? 'supersededBy')`);
  }
  return where.length ? where.join(" AND ") : "true";
}
