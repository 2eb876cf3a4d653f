/**
 * There is no Docker engine on our machines, so the container files are checked against the
 * code: the compose file parses, puts the agent in the platform's slot, and its environment is
 * accepted by the config loader with the expected result; the Dockerfile's command is the task.
 */
import assert from "node:assert/strict";
import { parse } from "yaml";
import { ENV_KEYS, loadConfig } from "../config.ts";
import { scbUnavailable } from "./platform_wiring.ts";

const root = new URL("../../", import.meta.url);
const read = (name: string) => Deno.readTextFileSync(new URL(name, root));
type Service = {
  environment: Record<string, string>;
  ports: string[];
  networks: string[];
  depends_on: Record<string, { condition: string }>;
  healthcheck?: unknown;
};
const compose = parse(read("docker-compose.bridge.yml")) as {
  services: Record<string, Service>;
  networks: Record<string, { name: string }>;
};

/** `${NAME:-default}` → default, as compose does when NAME is unset. */
function resolved(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).map(([k, v]) => [k, String(v).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, "$1")]),
  );
}

Deno.test("the compose file puts the agent in the platform's slot after a healthy postgres", () => {
  const agent = compose.services.autonomous_starter!;
  assert.ok(agent, "service autonomous_starter (the platform's agent slot)");
  assert.deepEqual(agent.networks, ["scb_bridge_net"]);
  assert.equal(compose.networks.scb_bridge_net!.name, "scb_bridge_net");
  assert.equal(agent.depends_on.postgres!.condition, "service_healthy");
  assert.ok(compose.services.postgres!.healthcheck);
  assert.ok(compose.services.redis);
  const [host, container] = agent.ports[0]!.split(":");
  assert.equal(host, "3100");
  assert.equal(container, agent.environment.PORT);
});

Deno.test("the compose environment is accepted by the config loader and means what it says", () => {
  const agent = compose.services.autonomous_starter!;
  const names = new Set(ENV_KEYS.map(([n]) => n));
  for (const key of Object.keys(agent.environment)) {
    assert.ok(names.has(key), `compose sets ${key}, which the config does not read`);
  }
  const config = loadConfig({ env: resolved(agent.environment), file: "/dev/null" });
  assert.equal(config.http.port, 3000);
  assert.equal(config.standalone, false);
  assert.equal(config.loop.intervalMs, 30_000);
  assert.equal(config.vtuber.url, "http://neurosync:5001/process_text");
  assert.equal(config.scb.neurosyncUrl, "http://neurosync:5000");
  assert.equal(scbUnavailable(config), undefined);
  const db = new URL(config.database.url!);
  const pg = compose.services.postgres!.environment;
  assert.equal(db.hostname, "postgres");
  assert.equal(db.pathname, `/${pg.POSTGRES_DB}`);
  assert.equal(db.username, pg.POSTGRES_USER);
  assert.equal(db.password, pg.POSTGRES_PASSWORD);
  assert.equal(new URL(config.scb.redisUrl!).hostname, "redis");
  const text = read("docker-compose.bridge.yml");
  for (const name of names) assert.ok(text.includes(name), `${name} is not documented in compose`);
});

Deno.test("the Dockerfile runs deno task start as a non-root user on the pinned Deno", () => {
  const docker = read("Dockerfile");
  assert.match(
    docker,
    new RegExp(`^FROM denoland/deno:${Deno.version.deno.replaceAll(".", "\\.")}$`, "m"),
  );
  assert.match(docker, /^USER deno$/m);
  assert.match(docker, /^RUN deno install --frozen$/m);
  assert.match(docker, /^HEALTHCHECK .*\n?.*\/health/m);
  const cmd = docker.match(/^CMD (\[.*\])$/m);
  assert.deepEqual(JSON.parse(cmd![1]!), ["deno", "task", "start"]);
  const tasks = JSON.parse(read("deno.json")).tasks as Record<string, string>;
  // The launcher derives the supervisor's flags (the image's DENO_DIR included) from the config.
  assert.match(tasks.start!, /core\/launch\/launch\.ts start$/);
  assert.match(docker, /deno cache [^\n]*core\/embedding\/sentence_encoder_worker\.ts/);
  const port = docker.match(/PORT=(\d+)/)![1];
  assert.match(docker, new RegExp(`^EXPOSE ${port}$`, "m"));
});
