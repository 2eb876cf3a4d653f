/**
 * The official MCP reference servers for tests and benchmarks, run with Node as users run them:
 * installed by `.ci/install_mcp_servers.sh` (pinned in reference_servers.json) into a cache
 * outside the project. Absent on a developer machine → undefined, and the tests are ignored
 * (`deno task test` works with only Deno); absent when CI=true → an error, since CI must never
 * skip them. Nothing is fetched at test time.
 */
import { fileURLToPath } from "node:url";

/** `command` + `args` of one server, as an `mcpServers` entry writes them. */
export interface ServerCommand {
  command: string;
  args: string[];
}

/** Where the installed servers are and how to start each. */
export interface ReferenceServers {
  dir: string;
  everything(mode?: "stdio" | "streamableHttp"): ServerCommand;
  /** Serves the given directories (the server refuses paths outside them). */
  filesystem(...roots: string[]): ServerCommand;
  /** Keeps its knowledge graph in MEMORY_FILE_PATH (set it in the entry's env). */
  memory(): ServerCommand;
}

const PINS = new URL("./reference_servers.json", import.meta.url);

/** The install directory the script uses for a pins file (default: the reference servers). */
export async function referenceServersDir(pins: URL = PINS): Promise<string> {
  const bytes = await Deno.readFile(pins);
  const hash = [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))]
    .map((b) => b.toString(16).padStart(2, "0")).join("").slice(0, 12);
  const root = Deno.env.get("MCP_SERVERS_DIR") ??
    `${Deno.env.get("HOME") ?? "."}/.cache/autoliza/mcp-servers`;
  return `${root}/${hash}`;
}

/** The installed servers, or undefined outside CI when they (or Node) are missing. */
export async function referenceServers(): Promise<ReferenceServers | undefined> {
  const dir = await referenceServersDir();
  const missing = await problem(dir);
  if (missing) {
    if (Deno.env.get("CI") === "true") {
      throw new Error(
        `MCP reference servers: ${missing}, but CI=true: run .ci/install_mcp_servers.sh ` +
          "(.ci/run does) so these tests run",
      );
    }
    return undefined;
  }
  const bin = (pkg: string) => `${dir}/node_modules/@modelcontextprotocol/${pkg}/dist/index.js`;
  return {
    dir,
    everything: (mode = "stdio") => ({ command: "node", args: [bin("server-everything"), mode] }),
    filesystem: (...roots) => ({ command: "node", args: [bin("server-filesystem"), ...roots] }),
    memory: () => ({ command: "node", args: [bin("server-memory")] }),
  };
}

/** A Deno script serving MCP with the SDK's own server (core/mcp/testdata/). */
export function sdkFixtureServer(file: string): ServerCommand {
  const path = fileURLToPath(new URL(`../testdata/${file}`, import.meta.url));
  return { command: Deno.execPath(), args: ["run", "--no-prompt", "--cached-only", path] };
}

async function problem(dir: string): Promise<string | undefined> {
  try {
    await Deno.stat(`${dir}/.complete`);
  } catch {
    return `not installed in ${dir}`;
  }
  try {
    const { success } = await new Deno.Command("node", { args: ["--version"], stdout: "null" })
      .output();
    if (!success) return "node does not run";
  } catch {
    return "node is not installed";
  }
  return undefined;
}
