/**
 * The `autonomous_context` object sent with every speech request. It must be a JSON object (a
 * string or `true` makes the server fail with 500). The old agent's fields are kept; a directive
 * sets `is_directive: true` and `authority_level: "manager"`, the only pair the avatar acts on.
 */

/** What varies between speech requests. */
export interface SpeechContextInput {
  /** A manager directive rather than a suggestion. */
  directive?: boolean;
  priority?: "low" | "normal" | "high";
  agentName?: string;
  loopIntervalMs?: number;
  now?: number;
}

/** The platform's `autonomous_context` object. */
export interface AutonomousContext {
  next_cycle_seconds: number;
  agent_name: string;
  cycle_type: "autonomous_suggestion" | "autonomous_directive";
  timestamp: number;
  is_directive: boolean;
  authority_level: "assistant" | "manager";
  source: "autonomous_agent";
  priority: "low" | "normal" | "high";
}

/** Builds the context object the old agent sent (directive or suggestion). */
export function autonomousContext(input: SpeechContextInput = {}): AutonomousContext {
  const directive = input.directive === true;
  return {
    next_cycle_seconds: Math.round((input.loopIntervalMs ?? 30_000) / 1000),
    agent_name: input.agentName ?? "Autoliza",
    cycle_type: directive ? "autonomous_directive" : "autonomous_suggestion",
    timestamp: input.now ?? Date.now(),
    is_directive: directive,
    authority_level: directive ? "manager" : "assistant",
    source: "autonomous_agent",
    priority: input.priority ?? (directive ? "high" : "normal"),
  };
}
