/**
 * The product document's headline on real MCP servers: one multi-step task ("read people.csv,
 * put everyone in the knowledge graph, add the ages of the two oldest") done twice with the same
 * tool results from the same live servers, and the tokens of every request counted with the
 * project's one tokenizer (core/model/tokens.ts):
 * - traditional: every tool definition in the OpenAI `tools` array of every request, each tool
 *   result pasted into the conversation (what an MCP host that loads all tools sends);
 * - code mode: our session (real kernel, scripted model): `execute_code` + `search_tools` only,
 *   tools found by search, data kept in kernel variables.
 * The model's replies are scripted alike for both; only the protocol differs.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import { AgentSession } from "../core/agent/agent_session.ts";
import { realKernelFactory } from "../core/agent/real_kernel.ts";
import { orchestratorPrompt } from "../core/agent/system_prompt.ts";
import { META_TOOLS } from "../core/agent/system_prompt.ts";
import { memoryLogger } from "../core/log.ts";
import { OpenAIModelClient } from "../core/model/mod.ts";
import { countCompletionTokens, countTokens } from "../core/model/tokens.ts";
import type { ChatMessage, ToolSchema } from "../core/model/types.ts";
import type { ToolRegistry } from "../core/tools/registry.ts";
import { startScriptedModelServer } from "../core/testing/scripted_model_server.ts";

/** Tokens of each request of one run. */
export interface TaskTokens {
  requests: number[];
  total: number;
  /** What the model wrote (tool calls and answer), summed. */
  completion: number;
}

const TASK = "Read people.csv, add every person to the knowledge graph as an entity (type " +
  "person) with their city and role as observations, then tell me the combined age of the two " +
  "oldest people.";

/** `n` people, deterministic. */
export function peopleCsv(n: number): string {
  const cities = ["Lisbon", "Osaka", "Lagos", "Lima", "Oslo", "Pune", "Quito", "Riga"];
  const roles = ["engineer", "designer", "nurse", "teacher", "chef", "pilot", "writer"];
  const rows = ["name,age,city,role"];
  for (let i = 0; i < n; i++) {
    rows.push(`Person ${i + 1},${20 + (i * 37) % 60},${cities[i % 8]},${roles[i % 7]}`);
  }
  return rows.join("\n") + "\n";
}

/** An MCP host that sends every tool up front; `clients` maps a server name to its client. */
export async function traditionalRun(
  clients: Map<string, { client: Client; tools: Tool[] }>,
  csvPath: string,
): Promise<TaskTokens> {
  const tools: ToolSchema[] = [];
  const owner = new Map<string, { server: string; tool: string }>();
  for (const [server, { tools: list }] of clients) {
    for (const t of list) {
      const name = `mcp__${server}__${t.name}`.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 64);
      owner.set(name, { server, tool: t.name });
      tools.push({
        name,
        ...(t.description ? { description: t.description } : {}),
        parameters: t.inputSchema,
      });
    }
  }
  const fn = (server: string, tool: string) =>
    [...owner].find(([, o]) => o.server === server && o.tool === tool)![0];
  const messages: ChatMessage[] = [
    { role: "system", content: "You are a helpful assistant with tools." },
    { role: "user", content: TASK },
  ];
  const out: TaskTokens = { requests: [], total: 0, completion: 0 };
  const step = async (name: string, args: Record<string, unknown>) => {
    out.requests.push(await countTokens(messages, tools));
    const call = { id: `call_${out.requests.length}`, name, arguments: JSON.stringify(args) };
    out.completion += await countCompletionTokens("", [call]);
    messages.push({ role: "assistant", content: "", toolCalls: [call] });
    const o = owner.get(name)!;
    const r = await clients.get(o.server)!.client.callTool({ name: o.tool, arguments: args });
    messages.push({ role: "tool", toolCallId: call.id, content: resultText(r as CallToolResult) });
    return resultText(r as CallToolResult);
  };
  const csv = await step(fn("filesystem", "read_text_file"), { path: csvPath });
  const people = parse(csv);
  await step(fn("memory", "create_entities"), {
    entities: people.map((p) => ({
      name: p.name,
      entityType: "person",
      observations: [`lives in ${p.city}`, `works as ${p.role}`],
    })),
  });
  const [a, b] = oldest(people);
  const sum = await step(fn("everything", "get-sum"), { a: a!.age, b: b!.age });
  out.requests.push(await countTokens(messages, tools));
  const answer = `The two oldest are ${a!.name} and ${b!.name}; ${sum}`;
  out.completion += await countCompletionTokens(answer);
  out.total = out.requests.reduce((x, y) => x + y, 0);
  return out;
}

/** Our code mode on the same servers: the session's real requests, counted the same way. */
export async function codeModeRun(
  registry: ToolRegistry,
  csvPath: string,
  root: string,
): Promise<TaskTokens & { observation: string }> {
  const code = [
    `const csv = await tools.filesystem.read_text_file({ path: ${JSON.stringify(csvPath)} })`,
    "const people = String(csv.content ?? csv).trim().split('\\n').slice(1).map((l: string) => {",
    "  const [name, age, city, role] = l.split(',')",
    "  return { name, age: Number(age), city, role }",
    "})",
    "await tools.memory.create_entities({ entities: people.map((p) => ({ name: p.name, " +
    "entityType: 'person', observations: [`lives in ${p.city}`, `works as ${p.role}`] })) })",
    "const [a, b] = [...people].sort((x, y) => y.age - x.age)",
    "const sum = await tools.everything.get_sum({ a: a.age, b: b.age });",
    "({ stored: people.length, oldest: [a.name, b.name], sum })",
  ].join("\n");
  const replies = [
    call("search_tools", { query: "read a text file" }),
    call("search_tools", { query: "create entities in a knowledge graph" }),
    call("search_tools", { query: "add two numbers" }),
    call("execute_code", { code }),
    { content: "Stored everyone; the two oldest people's ages add up as shown." },
  ];
  let i = 0;
  const server = startScriptedModelServer({ script: () => replies[i++] ?? { content: "end" } });
  const model = new OpenAIModelClient({
    baseUrl: server.url,
    apiKey: "bench",
    model: "scripted-model",
    maxRetries: 0,
    toolMode: "native",
  });
  const log = memoryLogger("warn").logger;
  const session = await AgentSession.open({
    model,
    registry,
    kernelFactory: realKernelFactory({ sessionId: "bench", rootDir: root, log }),
    sessionId: "bench",
  });
  try {
    const r = await session.ask(TASK);
    const t = session.transcript;
    if (r.outcome !== "final") throw new Error(`the code-mode task stopped: ${r.detail}`);
    const cell = t.findLast((m) => m.role === "tool")?.content ?? "";
    if (/^Error/m.test(cell)) throw new Error(`the task's cell failed: ${cell.slice(0, 300)}`);
    const out: TaskTokens & { observation: string } = {
      requests: [],
      total: 0,
      completion: 0,
      observation: cell.slice(0, 200),
    };
    for (let k = 0; k < t.length; k++) {
      const m = t[k]!;
      if (m.role !== "assistant") continue;
      out.requests.push(await countTokens(t.slice(0, k), META_TOOLS));
      out.completion += await countCompletionTokens(m.content, m.toolCalls ?? []);
    }
    out.total = out.requests.reduce((x, y) => x + y, 0);
    return out;
  } finally {
    await session.close();
    await server.close();
  }
}

/** The orchestrator's initial context (system prompt + 2 tools) vs every tool definition. */
export async function initialContexts(tools: ToolSchema[]): Promise<{
  codeMode: number;
  traditional: number;
}> {
  const system = [{ role: "system" as const, content: orchestratorPrompt() }];
  return {
    codeMode: await countTokens(system, META_TOOLS),
    traditional: await countTokens(
      [{ role: "system", content: "You are a helpful assistant with tools." }],
      tools,
    ),
  };
}

function call(name: string, args: Record<string, unknown>) {
  return {
    toolCalls: [{ id: `c${Math.random().toString(36).slice(2, 8)}`, name, arguments: args }],
  };
}

function resultText(r: CallToolResult): string {
  const blocks = (r.content ?? []) as { type: string; text?: string }[];
  return blocks.map((b) => b.type === "text" ? b.text : JSON.stringify(b)).join("\n");
}

type Person = { name: string; age: number; city: string; role: string };

function parse(csv: string): Person[] {
  return csv.trim().split("\n").slice(1).map((l) => {
    const [name, age, city, role] = l.split(",");
    return { name: name!, age: Number(age), city: city!, role: role! };
  });
}

function oldest(people: Person[]): Person[] {
  return [...people].sort((x, y) => y.age - x.age).slice(0, 2);
}
