/**
 * Approvals for tools that require one in the daemon (`requiresApproval`), where no person sits at
 * a terminal: a call waits, listed in the console, until an operator approves or rejects it, or
 * until `timeoutMs` passes (then it is denied). Each decision is kept (the newest 200), logged as
 * `tool_approval`, and reported with its cycle (`sessionId` `cycle-N`) in `/api/cycles`.
 */
import type { ApprovalRequest, Approver } from "../tools/call_tool.ts";
import type { Logger } from "../log.ts";

/** A call waiting for a decision. */
export interface PendingApproval {
  id: string;
  tool: string;
  args: unknown;
  sessionId?: string;
  since: string;
  /** When it will be denied unless decided. */
  deadline: string;
}

/** How a call's approval ended. */
export type ApprovalOutcome = "approved" | "rejected" | "timed out";

/** A decided call. */
export interface DecidedApproval extends PendingApproval {
  outcome: ApprovalOutcome;
  decidedAt: string;
}

/** The queue; `approver` goes to the tool registry. */
export class ToolApprovals {
  readonly #timeoutMs: number;
  readonly #log: Logger;
  readonly #pending = new Map<string, { item: PendingApproval; settle: (ok: boolean) => void }>();
  readonly #decided: DecidedApproval[] = [];
  readonly #listeners = new Set<() => void>();

  constructor(o: { timeoutMs: number; log: Logger }) {
    this.#timeoutMs = o.timeoutMs;
    this.#log = o.log;
  }

  /** Waits for the operator's decision; false when rejected or timed out. */
  readonly approver: Approver = (req: ApprovalRequest) =>
    new Promise<boolean>((resolve) => {
      const now = Date.now();
      const item: PendingApproval = {
        id: crypto.randomUUID(),
        tool: req.tool,
        args: req.args,
        ...(req.sessionId ? { sessionId: req.sessionId } : {}),
        since: new Date(now).toISOString(),
        deadline: new Date(now + this.#timeoutMs).toISOString(),
      };
      const timer = setTimeout(() => this.#settle(item.id, "timed out"), this.#timeoutMs);
      this.#pending.set(item.id, {
        item,
        settle: (ok) => {
          clearTimeout(timer);
          resolve(ok);
        },
      });
      this.#log.info("tool_approval_waiting", { id: item.id, tool: item.tool });
      this.#changed();
    });

  /** Calls waiting now, oldest first. */
  pending(): PendingApproval[] {
    return [...this.#pending.values()].map((p) => p.item);
  }

  /** Decided calls, newest first. */
  decided(limit = 50): DecidedApproval[] {
    return this.#decided.slice(-limit).reverse();
  }

  /** The decisions taken for one session (a cycle is `cycle-N`). */
  forSession(sessionId: string): DecidedApproval[] {
    return this.#decided.filter((d) => d.sessionId === sessionId);
  }

  /** Approves or rejects a waiting call; false when it is no longer waiting. */
  decide(id: string, approve: boolean): boolean {
    return this.#settle(id, approve ? "approved" : "rejected");
  }

  /** Calls `fn` whenever the queue changes; returns the unsubscribe function. */
  subscribe(fn: () => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** Denies every waiting call (shutdown). */
  close(): void {
    for (const id of [...this.#pending.keys()]) this.#settle(id, "rejected");
  }

  #settle(id: string, outcome: ApprovalOutcome): boolean {
    const p = this.#pending.get(id);
    if (!p) return false;
    this.#pending.delete(id);
    this.#decided.push({ ...p.item, outcome, decidedAt: new Date().toISOString() });
    if (this.#decided.length > 200) this.#decided.shift();
    this.#log.info("tool_approval", {
      id,
      tool: p.item.tool,
      outcome,
      ...(p.item.sessionId ? { sessionId: p.item.sessionId } : {}),
    });
    p.settle(outcome === "approved");
    this.#changed();
    return true;
  }

  #changed(): void {
    for (const fn of this.#listeners) fn();
  }
}
