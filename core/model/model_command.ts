/**
 * `cli model`: talks to the configured model endpoint from the command line, to check a setup
 * (`--list`), try a prompt (the reply streams to stdout, usage and cost to stderr), and record
 * or replay a cassette (`--record file`, `--replay file`).
 */
import { parseArgs } from "../cli/args.ts";
import { type Command, UsageError } from "../cli/command.ts";
import { configEnv, loadConfig } from "../config.ts";
import { terminalSafe } from "../terminal_safe.ts";
import { createModelClient, modelEndpoint } from "./create_model_client.ts";
import { ModelNotConfiguredError } from "./errors.ts";
import { OpenAIModelClient } from "./openai_client.ts";
import type { ChatMessage } from "./types.ts";
import { UsageLedger } from "./usage_ledger.ts";

/** Where the command reads its environment and writes its output (tests pass their own). */
export interface ModelCommandIo {
  env: () => Record<string, string | undefined>;
  out: (text: string) => void;
  err: (text: string) => void;
}

const USAGE = `deno task cli model [--record file | --replay file] [--model name] [--system text]
                    [--no-stream] [--file agent.yaml] "prompt"
deno task cli model --list`;

/** Builds the command over `io`. */
export function makeModelCommand(io: ModelCommandIo): Command {
  return {
    name: "model",
    summary: "send one prompt to the model endpoint (streams), or --list its models",
    usage: USAGE,
    async run(args) {
      const { values, positionals } = parseArgs(args, {
        record: { type: "string" },
        replay: { type: "string" },
        model: { type: "string" },
        system: { type: "string" },
        file: { type: "string" },
        list: { type: "boolean" },
        "no-stream": { type: "boolean" },
      });
      const config = loadConfig({ env: io.env(), file: values.file as string | undefined });
      if (values.list) {
        const endpoint = modelEndpoint(config);
        if (!endpoint.configured) throw new ModelNotConfiguredError();
        const client = new OpenAIModelClient({ ...endpoint, timeoutMs: config.model.timeoutMs });
        io.out((await client.listModels()).join("\n") + "\n");
        return 0;
      }
      const prompt = positionals.join(" ").trim();
      if (!prompt) throw new UsageError("model: expected a prompt (or --list)");
      const ledger = new UsageLedger(config.model);
      const client = createModelClient(config, {
        record: values.record as string | undefined,
        replay: values.replay as string | undefined,
        ledger,
      });
      const messages: ChatMessage[] = [];
      if (typeof values.system === "string") {
        messages.push({ role: "system", content: values.system });
      }
      messages.push({ role: "user", content: prompt });
      const stream = !values["no-stream"];
      const reply = await client.chat(
        { messages, ...(typeof values.model === "string" ? { model: values.model } : {}) },
        stream
          ? {
            onDelta: io.out,
            onRetry: (r) => io.err(`\n[retry ${r.attempt}: ${r.error.message}]\n`),
          }
          : {},
      );
      if (!stream) io.out(reply.message.content);
      for (const call of reply.message.toolCalls) {
        io.out(`\n[tool call ${call.name}(${call.arguments})]`);
      }
      const t = ledger.totals();
      io.out("\n");
      io.err(
        `[${reply.model}: ${t.promptTokens} prompt + ${t.completionTokens} completion tokens ` +
          `(${reply.usage.source}), cost ${
            t.cost.toFixed(6)
          }, ${reply.ms} ms, ${reply.finishReason}]\n`,
      );
      return 0;
    },
  };
}

const encoder = new TextEncoder();

/** The `model` subcommand on the real environment, stdout and stderr. */
export const modelCommand: Command = makeModelCommand({
  env: () => configEnv(),
  // A model's text never drives the terminal (see core/terminal_safe.ts).
  out: (text) => void Deno.stdout.writeSync(encoder.encode(terminalSafe(text))),
  err: (text) => void Deno.stderr.writeSync(encoder.encode(text)),
});
