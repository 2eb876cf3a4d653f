/**
 * Rows the ElizaOS schema's foreign keys need before a memory or `tool_usage` row can be written:
 * `memories."agentId"/"entityId"/"roomId"/"worldId"` reference `agents`, `entities`, `rooms`,
 * `worlds`, and the analytics tables' `agent_id` references `agents`. ElizaOS creates them at
 * start and in `ensureConnection`; this does the same for any id a write names that is missing,
 * inside the write's transaction, so no write fails on those constraints. On a database without
 * the ElizaOS tables it does nothing.
 */
import { elizaTablesExist } from "./migrations.ts";
import type { SqlQueryable } from "./sql_client.ts";
import type { Memory } from "./types.ts";

/** Who owns rows that need an agent but name none (entities and worlds require one). */
export interface Owner {
  agentId: string;
}

/** Creates missing referenced rows; remembers what it made or saw so it asks once per id. */
export class ReferenceKeeper {
  readonly #owner: Owner;
  readonly #known = new Set<string>();
  /** Whether the ElizaOS tables exist; looked up at the first write. */
  enabled: boolean | undefined;

  constructor(owner: Owner) {
    this.#owner = owner;
  }

  /** Forgets what it saw (after a foreign-key error: a referenced row was deleted meanwhile). */
  reset(): void {
    this.#known.clear();
  }

  /**
   * Makes sure every agent, world, room and entity the rows name exists. Returns a function to
   * call once the transaction committed (before that, a rollback would undo the rows).
   */
  async ensure(tx: SqlQueryable, rows: ReadonlyArray<Partial<Memory>>): Promise<() => void> {
    const made: string[] = [];
    const done = () => made.forEach((k) => this.#known.add(k));
    this.enabled ??= await elizaTablesExist(tx);
    if (!this.enabled) return done;
    const owner = this.#owner.agentId;
    const agents = new Map<string, string>();
    const worlds = new Map<string, [string, string]>();
    const rooms = new Map<string, [string, string, string | null, string | null]>();
    const entities = new Map<string, [string, string]>();
    for (const r of rows) {
      const agent = r.agentId ?? null;
      if (agent) agents.set(agent, agent);
      if (r.worldId || r.entityId) agents.set(owner, owner);
      if (r.worldId) worlds.set(r.worldId, [r.worldId, agent ?? owner]);
      if (r.roomId) rooms.set(r.roomId, [r.roomId, r.roomId, agent, r.worldId ?? null]);
      if (r.entityId) entities.set(r.entityId, [r.entityId, agent ?? owner]);
    }
    await this.#insert(tx, made, "agent", agents, (ids) => [
      `INSERT INTO agents ("id", "name", "bio") SELECT a, NULL, '""'::jsonb
       FROM unnest($1::uuid[]) AS a ON CONFLICT DO NOTHING`,
      [ids],
    ]);
    await this.#insert(
      tx,
      made,
      "world",
      worlds,
      (vals) => [
        `INSERT INTO worlds ("id", "agentId", "name", "serverId")
         SELECT w, a, 'Autoliza', 'default' FROM unnest($1::uuid[], $2::uuid[]) AS t(w, a)
         ON CONFLICT ("id") DO NOTHING`,
        [vals.map((v) => v[0]), vals.map((v) => v[1])],
      ],
    );
    await this.#insert(
      tx,
      made,
      "room",
      rooms,
      (vals) => [
        `INSERT INTO rooms ("id", "agentId", "source", "type", "channelId", "worldId")
         SELECT r, a, 'autoliza', 'API', c, w
         FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[]) AS t(r, c, a, w)
         ON CONFLICT ("id") DO NOTHING`,
        [
          vals.map((v) => v[0]),
          vals.map((v) => v[1]),
          vals.map((v) => v[2]),
          vals.map((v) => v[3]),
        ],
      ],
    );
    await this.#insert(
      tx,
      made,
      "entity",
      entities,
      (vals) => [
        `INSERT INTO entities ("id", "agentId") SELECT e, a
         FROM unnest($1::uuid[], $2::uuid[]) AS t(e, a) ON CONFLICT DO NOTHING`,
        [vals.map((v) => v[0]), vals.map((v) => v[1])],
      ],
    );
    return done;
  }

  /** Makes sure the agents exist (for `tool_usage` / `context_archive` rows). */
  ensureAgents(tx: SqlQueryable, agentIds: string[]): Promise<() => void> {
    return this.ensure(tx, agentIds.map((agentId) => ({ agentId })));
  }

  async #insert<V>(
    tx: SqlQueryable,
    made: string[],
    kind: string,
    wanted: Map<string, V>,
    statement: (values: V[]) => [string, unknown[]],
  ): Promise<void> {
    const missing = [...wanted].filter(([id]) => !this.#known.has(`${kind}:${id}`));
    if (!missing.length) return;
    const [text, params] = statement(missing.map(([, v]) => v));
    await tx.query(text, params);
    for (const [id] of missing) made.push(`${kind}:${id}`);
  }
}
