/**
 * Test wiring for the agent: a scripted model server, a client on it, the repository's tools
 * folder as registry, and a fake kernel routed through the tool router. Tests only.
 */
import { memoryLogger } from "../../log.ts";
import { OpenAIModelClient } from "../../model/mod.ts";
import {
  type Script,
  type ScriptedModelServer,
  startScriptedModelServer,
} from "../../testing/scripted_model_server.ts";
import { openRegistry, type ToolRegistry } from "../../tools/registry.ts";
import type { KernelPort } from "../kernel_port.ts";
import { type CallSubagent, createToolRouter } from "../tool_router.ts";
import { FakeKernel } from "./fake_kernel.ts";

/** The pieces a test drives. */
export interface Harness extends AsyncDisposable {
  server: ScriptedModelServer;
  model: OpenAIModelClient;
  registry: ToolRegistry;
  kernel: KernelPort;
  /** The `messages` array of each chat request the server received. */
  requestMessages(): Array<Array<{ role: string; content?: string }>>;
}

/** The repository's tools/ folder. */
export const TOOLS_DIR = new URL("../../../tools", import.meta.url).pathname;

/** Starts a scripted server and wires a fake kernel to the real registry. */
export async function startHarness(
  script: Script,
  extra: { callSubagent?: CallSubagent } = {},
): Promise<Harness> {
  const server = startScriptedModelServer({ script });
  const model = new OpenAIModelClient({
    baseUrl: server.url,
    apiKey: "test",
    model: "scripted-model",
    maxRetries: 0,
    toolMode: "native",
  });
  const registry = await openRegistry({ dir: TOOLS_DIR, log: memoryLogger().logger });
  const holder: { kernel?: KernelPort } = {};
  const callTool = createToolRouter({
    registry,
    kernel: () => holder.kernel,
    ...(extra.callSubagent ? { callSubagent: extra.callSubagent } : {}),
  });
  const k = new FakeKernel(callTool);
  holder.kernel = k;
  return {
    server,
    model,
    registry,
    kernel: k,
    requestMessages: () =>
      server.chatRequests().map((r) =>
        (r.body?.messages ?? []) as Array<{ role: string; content?: string }>
      ),
    async [Symbol.asyncDispose]() {
      await k.close();
      await server.close();
    },
  };
}

/** A scripted reply that runs `code` with execute_code. */
export function codeReply(code: string, id = "c1") {
  return { toolCalls: [{ id, name: "execute_code", arguments: { code } }] };
}
