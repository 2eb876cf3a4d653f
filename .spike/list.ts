import { McpConnection } from "../core/mcp/connection.ts";
import { Logger } from "../core/log.ts";
const [command, ...args] = Deno.args;
const c = new McpConnection({ name: "x", namespace: "x", transport: { kind: "stdio", command: command!, args, env: {} }, startup: "lazy", secrets: [], origin: "cli" }, { log: new Logger({ level: "warn" }), onTools: () => {}, maxAttempts: 1 });
await c.ensure();
console.log(c.status(), c.tools.length, JSON.stringify(c.tools).length);
await c.close();
