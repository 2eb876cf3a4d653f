/**
 * Built-in sub-agent: summarizes the data it is given (texts, transcripts, records) into a short
 * summary with the key points. Runs in a worker with no permissions; called from a cell with
 * `await call_subagent("summarizer", "variable_name", "instructions")`.
 */
import { subagentActor } from "../core/agent/subagent_actor.ts";
import { defineSubagent } from "../core/agent/subagent_definition.ts";

/** The summarizer's definition (also listed by the sub-agent catalogue). */
export const definition = defineSubagent({
  name: "summarizer",
  description: "Summarizes texts, transcripts or records into key points",
  systemPrompt: "You are a summarizer. You receive data and write a faithful, short summary " +
    "(at most 10 bullet points) of what matters in it. Read large data with code in small " +
    "pieces; never invent facts.",
  tools: ["word_count"],
  budgets: { maxSteps: 8, maxTokens: 20_000, timeMs: 120_000 },
});

export default subagentActor(definition);
