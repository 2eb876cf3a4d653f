/**
 * What a cycle leaves behind for later cycles: the `cycle_result` memory (its calls, and the
 * model's thought only when nothing untrusted reached the cycle, so a memory never carries
 * viewer-driven text), the blackboard watermark kept in it (read back on start, so processed
 * chat is not shown again after a restart), and the agent's own speech and directives, which
 * come back on the blackboard and must not read as viewer chat.
 */
import type { AgentScope } from "../memory/eliza_ids.ts";
import type { NewMemory } from "../memory/types.ts";
import type { ToolResult } from "../tools/call_tool.ts";
import type { CycleRecord } from "./decision_loop.ts";
import type { PlatformMemory } from "./platform_services.ts";
import type { LedgerState, ScbLedger } from "./scb_ledger.ts";

/** The `cycle_result` memory of a finished cycle. */
export function cycleMemory(
  record: CycleRecord,
  who: { agentId: string; agentName: string; scope?: AgentScope | undefined },
  ledger: ScbLedger,
): NewMemory {
  const summary = record.toolCalls.map((c) => `${c.tool} ${c.ok ? "ok" : "failed"}`);
  const thought = record.taint.length
    ? ""
    : record.decisions.map((d) => d.thought).filter(Boolean).join(" ").slice(0, 500);
  return {
    type: "memories",
    agentId: who.agentId,
    ...(who.scope
      ? { roomId: who.scope.roomId, worldId: who.scope.worldId, entityId: who.scope.entityId }
      : {}),
    content: {
      text: `Cycle ${record.id}: ${summary.join(", ")}${thought ? `. ${thought}` : ""}`,
      type: "cycle_result",
      speaker: who.agentName,
      cycle: record.id,
      actions: record.decisions.flatMap((d) => d.calls),
      timestamp: Date.now(),
      taint: record.taint,
      scbLedger: ledger.state(),
    },
    // Routine bookkeeping: below the archiving threshold (0.3), so it ages out after 48 h.
    importance: 0.2,
  };
}

/** Continues the blackboard watermark of the last run (its newest `cycle_result`). */
export async function restoreLedger(memory: PlatformMemory, ledger: ScbLedger): Promise<void> {
  const last = await memory.latestMemory("cycle_result");
  const state = last?.content.scbLedger as LedgerState | undefined;
  if (state && typeof state.seenUntil === "number" && Array.isArray(state.edge)) {
    ledger.restore(state);
  }
}

/** Notes what a tool call put on the blackboard or into the avatar's mouth as the agent's own. */
export function noteOwn(ledger: ScbLedger, tool: string, args: unknown, r: ToolResult): void {
  const a = (args ?? {}) as Record<string, unknown>;
  if (typeof a.text !== "string" && tool !== "update_scb") return;
  // A speech request that timed out may still have been spoken (and logged by the Player).
  const maybeSpoken = !r.ok && /may have been spoken/.test(r.error.message);
  if (!r.ok && !maybeSpoken) return;
  const value = (r.ok ? r.value ?? {} : {}) as Record<string, unknown>;
  if (tool === "update_scb" && typeof value.posted === "string") {
    ledger.own("directive", value.posted);
  }
  const suggestion = tool === "send_to_vtuber" ||
    (tool === "direct_vtuber_speech" && (maybeSpoken || value.authority === "assistant"));
  if (suggestion && (maybeSpoken || value.spoken === true)) ledger.own("speech", String(a.text));
}
