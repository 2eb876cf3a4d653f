/**
 * `generate_subagent(name, purpose, tools)`: writes `learned_skills/agents/<name>/` with
 * `config.ts`, `prompts.ts`, `tools.ts` and `README.md`, the layout core/agent's sub-agent
 * catalogue loads (so `call_subagent` finds it at once). The model writes only the system
 * prompt; the files come from templates with every model-written string embedded as a JSON
 * literal, so generated text cannot become code. Tools must exist in the registry.
 */
import type { ChatMessage, ModelClient } from "../model/mod.ts";
import type { ApprovalMode, Approver } from "./approval.ts";
import { decideApproval } from "./approval.ts";
import type { Finding } from "./finding.ts";
import { addUsage, emptyUsage, type SubagentUsage } from "./review_code.ts";
import { staticReview } from "./static_review.ts";
import { type EvolutionPaths, pendingDir, scratchDir } from "./evolution_paths.ts";

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
  const stage = await scratchDir(o.paths.stateDir, `agent_${name}_`);
  try {
    const files = subagentFiles(name, purpose, tools, prompt);
    for (const [file, text] of Object.entries(files)) {
      await Deno.writeTextFile(`${stage}/${file}`, text);
    }
    const reports = await Promise.all(
      ["config.ts", "prompts.ts", "tools.ts"].map(async (file) =>
        (await staticReview(`${stage}/${file}`, { docs: false })).findings
          .map((f) => ({ ...f, message: `${file}: ${f.message}` }))
      ),
    );
    const findings: Finding[] = reports.flat();
    const staticPassed = !findings.some((f) => f.severity === "high");
    const decision = await decideApproval(
      o.approval,
      { staticPassed, testsPassed: true, reviewPassed: staticPassed },
      {
        kind: "agent",
        name,
        path: `agents/${name}/`,
        code: files["prompts.ts"]!,
        findings,
        testsPassed: true,
        lineCoverage: null,
      },
      o.approver,
    );
    if (decision.status === "rejected") return { name, ...decision, findings, usage };
    const dir = decision.status === "approved"
      ? `${o.paths.learnedDir}/agents/${name}`
      : pendingDir(o.paths.stateDir, "agents", name);
    await Deno.mkdir(dir, { recursive: true });
    for (const file of Object.keys(files)) {
      await Deno.copyFile(`${stage}/${file}`, `${dir}/${file}`);
    }
    return { name, status: decision.status, reason: decision.reason, dir, findings, usage };
  } finally {
    await Deno.remove(stage, { recursive: true }).catch(() => {});
  }
}

/** The four files of a generated sub-agent, from templates. */
export function subagentFiles(
  name: string,
  purpose: string,
  tools: readonly string[],
  prompt: string,
): Record<string, string> {
  const desc = purpose.trim().replace(/\s+/g, " ");
  return {
    "config.ts": `/** Generated sub-agent "${name}": its name, description and budgets. */\n` +
      `export default {\n  name: ${JSON.stringify(name)},\n  description: ${
        JSON.stringify(desc)
      },\n` +
      `  tools: [] as string[],\n  budgets: { maxSteps: 8 },\n};\n`,
    "prompts.ts": `/** Generated sub-agent "${name}": its system prompt. */\n` +
      `export const SYSTEM_PROMPT: string = ${JSON.stringify(prompt)};\n`,
    "tools.ts":
      `/** Generated sub-agent "${name}": the registry tools it may call (in its sandbox). */\n` +
      `export const TOOLS: string[] = ${JSON.stringify([...tools])};\n`,
    "README.md": `# ${name}\n\n${desc}\n\nTools: ${tools.join(", ") || "none"}\n\n` +
      `Generated by generate_subagent. Its tools run in the kernel sandbox only.\n\n` +
      "## System prompt\n\n" + prompt.split("\n").map((l) => `> ${l}`).join("\n") + "\n",
  };
}
