/**
 * ElizaOS's deterministic ids, so this agent can take over the old agent's identity and rows:
 * `stringToUuid(text)` is SHA-1 over the bytes of `encodeURIComponent(text)`, laid out as a
 * UUID with a version nibble of 0 (not RFC 4122 v5), and `createUniqueUuid(agentId, base)` is
 * `stringToUuid(base + ":" + agentId)` (the agent's own id when `base` is the agent id).
 */
import { createHash } from "node:crypto";

/** Any 8-4-4-4-12 hex id; ElizaOS ids have version nibble 0, so a strict UUID check rejects them. */
export const HEX_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * ElizaOS's `stringToUuid`.
 *
 * @example
 * ```ts
 * stringToUuid("Autoliza"); // "d63a62b7-d908-0c62-a8c3-c24238cd7fa7", the old agent's id
 * ```
 */
export function stringToUuid(text: string): string {
  // encodeURIComponent leaves only ASCII, so each character is one byte.
  const b = createHash("sha1").update(encodeURIComponent(text), "latin1").digest();
  const hex = (from: number, to: number) => b.subarray(from, to).toString("hex");
  const byte = (v: number) => v.toString(16).padStart(2, "0");
  return `${hex(0, 4)}-${hex(4, 6)}-${byte(b[6]! & 0x0f)}${byte(b[7]!)}-` +
    `${byte((b[8]! & 0x3f) | 0x80)}${byte(b[9]!)}-${hex(10, 16)}`;
}

/** ElizaOS's `createUniqueUuid(runtime, base)`: an id per agent for a room, world or entity. */
export function createUniqueUuid(agentId: string, base: string): string {
  return base === agentId ? agentId : stringToUuid(`${base}:${agentId}`);
}

/** The ids of the old agent's autonomous loop: room and world `createUniqueUuid(agent, "auto")`. */
export interface AgentScope {
  agentId: string;
  /** The agent is its own entity in ElizaOS. */
  entityId: string;
  roomId: string;
  worldId: string;
}

/** The scope the loop's memories are written in, as the old agent wrote them. */
export function loopScope(agentId: string): AgentScope {
  const auto = createUniqueUuid(agentId, "auto");
  return { agentId, entityId: agentId, roomId: auto, worldId: auto };
}
