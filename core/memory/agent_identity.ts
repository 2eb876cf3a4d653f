/**
 * What ElizaOS makes sure of when an agent starts, done the same way so this agent can write into
 * (or take over) a database the old agent used: its `agents` row, its entity (the agent is its
 * own entity), its own room, the autonomous loop's world and room (`createUniqueUuid(agent,
 * "auto")`), and its place in both rooms. Existing rows are never changed. Without the ElizaOS
 * tables nothing is done.
 */
import { type AgentScope, loopScope } from "./eliza_ids.ts";
import { elizaTablesExist } from "./migrations.ts";
import type { SqlClient } from "./sql_client.ts";
import { withRetry } from "./retry.ts";

/** The agent as configured (AGENT_ID / AGENT_NAME). */
export interface AgentIdentity {
  agentId: string;
  name: string;
}

/** What {@link ensureAgentIdentity} found or did. */
export interface IdentityResult extends AgentScope {
  /** `created`: a new agents row; `existing`: one was there (e.g. the old agent's). */
  agent: "created" | "existing" | "skipped";
  /** Set when the name belongs to another agent id: this id's row was created unnamed. */
  nameTakenBy?: string;
}

/** Creates whatever of the agent's ElizaOS rows is missing; returns the loop's scope. */
export async function ensureAgentIdentity(
  sql: SqlClient,
  who: AgentIdentity,
): Promise<IdentityResult> {
  const scope = loopScope(who.agentId);
  if (!(await elizaTablesExist(sql))) return { ...scope, agent: "skipped" };
  return await withRetry("ensure agent identity", () =>
    sql.transaction(async (tx) => {
      const id = who.agentId;
      const bio = JSON.stringify([`${who.name}, the autonomous manager of a VTuber stream`]);
      let agent: IdentityResult["agent"] = "existing";
      let nameTakenBy: string | undefined;
      const existing = await tx.query(`SELECT 1 FROM agents WHERE "id" = $1`, [id]);
      if (!existing.length) {
        const holder = await tx.query<{ id: string }>(
          `SELECT "id" AS id FROM agents WHERE "name" = $1`,
          [who.name],
        );
        nameTakenBy = holder[0] ? String(holder[0].id) : undefined;
        await tx.query(
          `INSERT INTO agents ("id", "name", "bio") VALUES ($1, $2, $3::jsonb)`,
          [id, nameTakenBy ? null : who.name, bio],
        );
        agent = "created";
      }
      await tx.query(
        `INSERT INTO entities ("id", "agentId", "names") VALUES ($1, $1, $2::text[])
         ON CONFLICT DO NOTHING`,
        [id, [who.name]],
      );
      await tx.query(
        `INSERT INTO worlds ("id", "agentId", "name", "serverId") VALUES ($1::uuid, $2, 'Auto', $1::text)
         ON CONFLICT ("id") DO NOTHING`,
        [scope.worldId, id],
      );
      await tx.query(
        `INSERT INTO rooms ("id", "agentId", "source", "type", "name", "channelId", "serverId",
           "worldId")
         VALUES ($1::uuid, $1::uuid, 'self', 'SELF', $2, NULL, NULL, NULL),
                ($3::uuid, $1, 'auto', 'SELF', 'copilot', $3::text, $3::text, $3::uuid)
         ON CONFLICT ("id") DO NOTHING`,
        [id, who.name, scope.roomId],
      );
      await tx.query(
        `INSERT INTO participants ("entityId", "roomId", "agentId")
         SELECT $1::uuid, r, $1::uuid FROM unnest(ARRAY[$1::uuid, $2::uuid]) AS r
         WHERE NOT EXISTS (SELECT 1 FROM participants p WHERE p."entityId" = $1 AND p."roomId" = r)`,
        [id, scope.roomId],
      );
      return { ...scope, agent, ...(nameTakenBy ? { nameTakenBy } : {}) };
    }));
}
