/**
 * `cli model-server <script.yaml>`: a scripted OpenAI-compatible model server
 * (core/testing/scripted_model_server.ts) answering from a script file
 * (core/testing/model_script.ts), for writing skills, tests and demos with no real model. It
 * prints the environment to point the agent at it and runs until Ctrl-C.
 */
import { intFlag, parseArgs } from "./args.ts";
import { type Command, UsageError } from "./command.ts";
import { listenError } from "./listen_error.ts";
import { RuntimeError } from "../errors.ts";
import { readModelScript } from "../testing/model_script.ts";
import { startScriptedModelServer } from "../testing/scripted_model_server.ts";

/** The port it listens on unless `--port` says otherwise. */
export const MODEL_SERVER_PORT = 8001;

export const modelServerCommand: Command = {
  name: "model-server",
  summary: "serve scripted model replies from a YAML file (for skills, tests and demos)",
  usage:
    `deno task cli model-server <script.yaml> [--port ${MODEL_SERVER_PORT}] [--host 127.0.0.1]`,
  async run(args) {
    const { values, positionals } = parseArgs(args, {
      port: { type: "string" },
      host: { type: "string" },
    });
    const [file, extra] = positionals;
    if (!file) throw new UsageError("model-server needs a script file (see --help)");
    if (extra) throw new UsageError(`model-server: unexpected argument "${extra}"`);
    let script;
    try {
      script = readModelScript(file);
    } catch (e) {
      throw new RuntimeError("bad_script", (e as Error).message);
    }
    const host = (values.host as string | undefined) ?? "127.0.0.1";
    const port = intFlag(values, "port", MODEL_SERVER_PORT);
    let server;
    try {
      server = startScriptedModelServer({
        script: (request, index) =>
          script.next(request) ?? {
            status: 400,
            error: `script ${file} has no reply left for request ${index + 1}`,
          },
        hostname: host,
        port,
        ...(script.model ? { model: script.model } : {}),
      });
    } catch (e) {
      throw listenError(e, host, port, "--port");
    }
    console.log(
      `scripted model on ${server.url} (${script.replies} replies from ${file}); in another ` +
        `terminal:\n  OPENAI_BASE_URL=${server.url} OPENAI_API_KEY=scripted ` +
        `MODEL_TOOL_CALLS=native deno task repl`,
    );
    let served = 0;
    const stop = new Promise<void>((resolve) => {
      Deno.addSignalListener("SIGINT", resolve);
      Deno.addSignalListener("SIGTERM", resolve);
    });
    const timer = setInterval(() => {
      const n = server.chatRequests().length;
      if (n !== served) console.log(`served ${served = n} request(s)`);
    }, 250);
    await stop;
    clearInterval(timer);
    await server.close();
    return 0;
  },
};
