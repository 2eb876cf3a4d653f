/**
 * `generate_subagent(name, purpose, tools)`: writes `learned_skills/agents/<name>/` as data,
 * `agent.json` (name, description, tools, budgets) and `prompt.md`, the format core/agent's
 * catalogue reads (core/agent/learned_agent.ts; so `call_subagent` finds it at once). The model
 * writes only the system prompt, which stays text: nothing a model writes is ever imported into
 * the supervisor. Tools must exist in the registry; the approver sees both files.
 */
import type { ChatMessage, ModelClient } from "../model/mod.ts";
import type { ApprovalMode, Approver } from "./approval.ts";
import { decideApproval } from "./approval.ts";
import type { Finding } from "./finding.ts";
import { addUsage, emptyUsage, type SubagentUsage } from "./review_code.ts";
import { type EvolutionPaths, pendingDir } from "./evolution_paths.ts";
import { AGENT_FILE, learnedAgentFiles, PROMPT_FILE } from "../agent/learned_agent.ts";
import { defineSubagent } from "../agent/subagent_definition.ts";

const NAME = /^[a-z][a-z0-9_]{0,47}$/;

/** The sub-agent-writer's system prompt. */
export const SUBAGENT_WRITER_PROMPT = "You write the system prompt of a specialised sub-agent. " +
  "It works in a sandboxed TypeScript kernel (execute_code) and may call only the tools listed. " +
  "Say what it is for, how to proceed, what to return (plain text or JSON) and what to refuse. " +
  "Reply with the prompt text only, under 250 words.";

/** Settings of {@link generateSubagent}. */
export interface GenerateSubagentOptions {
  model: ModelClient;
  modelName?: string;
  task?: string;
  paths: EvolutionPaths;
  /** Names of registered tools, to validate `tools`. */
  availableTools: readonly string[];
  approval: ApprovalMode;
  approver?: Approver;
}

/** What generate_subagent reports. */
export interface SubagentReport {
  name: string;
  status: "approved" | "pending" | "rejected";
  reason: string;
  dir?: string;
  findings: Finding[];
  usage: SubagentUsage;
}

/** Generates, checks and (if approved) writes the sub-agent folder. */
export async function generateSubagent(
  name: string,
  purpose: string,
  tools: readonly string[],
  o: GenerateSubagentOptions,
): Promise<SubagentReport> {
  if (!NAME.test(name)) {
    throw new TypeError(`Invalid sub-agent name ${JSON.stringify(name)}: use lower_snake_case`);
  }
  if (!purpose.trim()) throw new TypeError("generate_subagent: purpose is empty");
  const unknown = tools.filter((t) => !o.availableTools.includes(t));
  if (unknown.length) {
    throw new TypeError(`generate_subagent: unknown tool(s) ${unknown.join(", ")}`);
  }
  const usage = emptyUsage();
  const messages: ChatMessage[] = [
    { role: "system", content: SUBAGENT_WRITER_PROMPT },
    {
      role: "user",
      content: `Name: ${name}\nPurpose: ${purpose}\nTools: ${tools.join(", ") || "none"}`,
    },
  ];
  const reply = await o.model.chat(
    { messages, ...(o.modelName ? { model: o.modelName } : {}) },
    o.task ? { task: o.task } : {},
  );
  addUsage(usage, reply.usage);
  const prompt = reply.message.content.replace(/^```\w*\n?|```\s*$/g, "").trim();
  if (!prompt) {
    return {
      name,
      status: "rejected",
      reason: "the model wrote an empty prompt",
      findings: [],
      usage,
    };
  }
  let files: Record<string, string>;
  try {
    files = learnedAgentFiles(defineSubagent({
      name,
      description: purpose.trim().replace(/\s+/g, " "),
      systemPrompt: prompt,
      tools: [...tools],
      budgets: { maxSteps: 8 },
    }, `sub-agent "${name}"`));
  } catch (e) {
    return { name, status: "rejected", reason: (e as Error).message, findings: [], usage };
  }
  const decision = await decideApproval(
    o.approval,
    { staticPassed: true, testsPassed: true, reviewPassed: true },
    {
      kind: "agent",
      name,
      path: `agents/${name}/`,
      code: `${AGENT_FILE}:\n${files[AGENT_FILE]}\n${PROMPT_FILE}:\n${files[PROMPT_FILE]}`,
      findings: [],
      testsPassed: true,
      lineCoverage: null,
    },
    o.approver,
  );
  if (decision.status === "rejected") return { name, ...decision, findings: [], usage };
  const dir = decision.status === "approved"
    ? `${o.paths.learnedDir}/agents/${name}`
    : pendingDir(o.paths.stateDir, "agents", name);
  await Deno.mkdir(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    await Deno.writeTextFile(`${dir}/${file}.tmp`, text);
    await Deno.rename(`${dir}/${file}.tmp`, `${dir}/${file}`);
  }
  return { name, status: decision.status, reason: decision.reason, dir, findings: [], usage };
}
