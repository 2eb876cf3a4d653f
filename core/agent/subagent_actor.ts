/**
 * The sub-agent actor: runs its own code-mode loop in a worker with no permissions. The model,
 * its kernel and tool search are supervisor capabilities (`subagent.model`, `subagent.kernel`,
 * `subagent.search`), so secrets and the kernel process stay in the supervisor. It answers one
 * `run` message with the loop's outcome; the runner spawns a fresh actor per call and stops it
 * afterwards, so no conversation survives from one call to the next.
 */
import { z } from "zod";
import { type ActorContext, type ActorDefinition, defineActor } from "../actor.ts";
import type { ChatRequest, ChatResponse, ModelClient } from "../model/types.ts";
import type { CellResult, KernelPort, VariableInfo } from "./kernel_port.ts";
import { runTask } from "./run_task.ts";
import {
  SUBAGENT_KERNEL_NOTE,
  type SubagentDefinition,
  SubagentDefinitionSchema,
  subagentTask,
} from "./subagent_definition.ts";

/** The one message a sub-agent accepts. */
export const SubagentMessage = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("run"),
    input: z.object({ variable: z.string(), summary: z.string(), large: z.boolean() }),
    instructions: z.string().optional(),
    /** For the generic actor: the definition (so it can be spawned before it is needed). */
    definition: SubagentDefinitionSchema.optional(),
  }),
]);

/** What a sub-agent replies. */
export interface SubagentReply {
  outcome: string;
  answer?: string;
  detail: string;
  steps: number;
  promptTokens: number;
  completionTokens: number;
  /** Prompt tokens of each request. */
  perRequest: number[];
}

type Msg = z.infer<typeof SubagentMessage>;

/**
 * An actor for `def`; without `def` the definition comes with each `run` message (the generic
 * `actors/subagent.ts` used for learned_skills/agents/).
 */
export function subagentActor(
  def?: SubagentDefinition,
): ActorDefinition<Msg> {
  return defineActor<Msg>({
    description: def?.description ?? "Runs the sub-agent defined in its `run` message",
    permissions: {},
    messages: SubagentMessage,
    async receive(msg, ctx) {
      switch (msg.type) {
        case "run": {
          const definition = def ?? msg.definition;
          if (!definition) throw new Error("The generic sub-agent needs `definition` in `run`");
          return await runSubagent(definition, msg, ctx);
        }
      }
    },
  });
}

async function runSubagent(
  def: SubagentDefinition,
  msg: Msg,
  ctx: ActorContext<unknown>,
): Promise<SubagentReply> {
  const result = await runTask({
    task: subagentTask(msg.input, msg.instructions),
    systemPrompt: `${def.systemPrompt}\n${SUBAGENT_KERNEL_NOTE}`,
    model: capabilityModel(ctx),
    kernel: capabilityKernel(ctx),
    searchTools: (query, k) => ctx.call("subagent.search", { query, k }) as Promise<string>,
    budgets: definedOnly(def.budgets),
  });
  return {
    outcome: result.outcome,
    ...(result.answer !== undefined ? { answer: result.answer } : {}),
    detail: result.detail,
    steps: result.steps,
    promptTokens: result.usage.promptTokens,
    completionTokens: result.usage.completionTokens,
    perRequest: result.usage.perRequest,
  };
}

function capabilityModel(ctx: ActorContext<unknown>): ModelClient {
  return {
    model: "subagent",
    supportsTools: () => undefined,
    chat: (request: ChatRequest) =>
      ctx.call("subagent.model", request, { timeoutMs: 600_000 }) as Promise<ChatResponse>,
  };
}

function capabilityKernel(ctx: ActorContext<unknown>): KernelPort {
  const op = <T>(args: Record<string, unknown>, timeoutMs = 30_000) =>
    ctx.call("subagent.kernel", args, { timeoutMs }) as Promise<T>;
  return {
    execute(code, options = {}) {
      const stop = () => void op({ op: "interrupt" }).catch(() => {});
      options.signal?.addEventListener("abort", stop, { once: true });
      const timeoutMs = options.timeoutMs ?? 60_000;
      return op<CellResult>({ op: "execute", code, timeoutMs }, timeoutMs + 5_000)
        .finally(() => options.signal?.removeEventListener("abort", stop));
    },
    interrupt: () => void op({ op: "interrupt" }).catch(() => {}),
    listVariables: () => op<VariableInfo[]>({ op: "list" }),
    inspectVariable: (name) => op<string>({ op: "inspect", name }),
    getVariable: (name) => op<unknown>({ op: "get", name }),
    setVariable: (name, value) => op<void>({ op: "set", name, value }),
    history: () => [],
    close: () => Promise.resolve(),
  };
}

function definedOnly<T extends object>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
