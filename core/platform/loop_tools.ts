import { loopScope } from "../memory/eliza_ids.ts";
import type { ToolSettings } from "../tools/tools_config.ts";

/**
 * Which tools the decision loop offers the model: the VTuber tools whose service is available.
 * Speech needs the avatar, update_scb the SCB, do_research a search backend, and make_api_post
 * an allow-list (it still needs approval, which the daemon denies unless tools.yaml lifts it).
 */

/** Every VTuber tool, in the order the model sees them. */
export const VTUBER_TOOLS = [
  "send_to_vtuber",
  "direct_vtuber_speech",
  "update_scb",
  "update_context",
  "do_research",
  "make_api_post",
] as const;

/** What is available to the loop. */
export interface LoopToolAvailability {
  vtuber: boolean;
  scb: boolean;
  research: boolean;
  apiPost: boolean;
}

/** The names of the tools to offer. */
export function loopToolNames(a: LoopToolAvailability): string[] {
  const needs: Record<(typeof VTUBER_TOOLS)[number], boolean> = {
    send_to_vtuber: a.vtuber,
    direct_vtuber_speech: a.vtuber,
    update_scb: a.scb,
    update_context: true,
    do_research: a.research,
    make_api_post: a.apiPost,
  };
  return VTUBER_TOOLS.filter((t) => needs[t]);
}

/** The tools that write memories: they are told whose rows they write, and where. */
export const MEMORY_WRITING_TOOLS = ["update_scb", "update_context", "memory_save", "do_research"];

/**
 * The params those tools get: the agent's id and name and the loop's room, world and entity
 * (ElizaOS's `createUniqueUuid(agent, "auto")`), so their rows land where the old agent's did.
 */
export function memoryWriterParams(agentId: string, agentName: string): Record<string, string> {
  const { roomId, worldId, entityId } = loopScope(agentId);
  return { agentId, agentName, roomId, worldId, entityId };
}

/** `tools` with {@link memoryWriterParams} added to each memory-writing tool's params. */
export function withWriterParams(
  tools: Record<string, ToolSettings>,
  agentId: string,
  agentName: string,
): Record<string, ToolSettings> {
  const out = { ...tools };
  for (const name of MEMORY_WRITING_TOOLS) {
    const t = out[name] ?? {};
    out[name] = { ...t, params: { ...memoryWriterParams(agentId, agentName), ...t.params } };
  }
  return out;
}
