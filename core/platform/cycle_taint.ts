/**
 * Whether the cycle in progress showed the model text from others (issue 14.6): new viewer chat,
 * new SCB entries of actors other than the avatar, new summary lines, memories made from
 * untrusted text, and research results once a tool returns them. The loop hands one per cycle to the tools as `ctx.services.taint`; tools with
 * authority check it: `direct_vtuber_speech` does not speak at manager authority in a tainted
 * cycle (unless MANAGER_DIRECTIVES=always), and `update_context` stores an unverified note.
 */

/** How `direct_vtuber_speech` treats a tainted cycle (`vtuber.managerDirectives`). */
export type DirectivePolicy = "untainted" | "always";

/** The taint of one cycle. */
export class CycleTaint {
  readonly sources: Set<string>;

  constructor(initial: readonly string[] = []) {
    this.sources = new Set(initial);
  }

  /** True once anything untrusted reached the model in this cycle. */
  get tainted(): boolean {
    return this.sources.size > 0;
  }

  /** Notes a new origin (e.g. "research" after a search returned results). */
  add(origin: string): void {
    this.sources.add(origin);
  }
}

/** `ctx.services.taint`, when the caller is the decision loop. */
export function taintOf(services: Record<string, unknown>): CycleTaint | undefined {
  const t = services.taint;
  return t instanceof CycleTaint ? t : undefined;
}
