/**
 * Test fixture: the parts of the platform's `docker-compose.bridge.yml` that the agent's slot
 * touches, written out by hand from ../shared/contracts/neurosync.md (service
 * `autonomous_starter` with the old agent's environment, the `postgres`, `redis`, `neurosync`
 * and `db_init` services it depends on, the project network and the named volume). Tests merge
 * this agent's compose file over it and start the daemon with the slot's variables.
 */

/** The old agent's environment in the slot, as the platform's compose file sets it. */
export const SLOT_ENVIRONMENT: Readonly<Record<string, string>> = {
  PORT: "3000",
  LOG_LEVEL: "debug",
  MODEL_PROVIDER: "livepeer",
  LIVEPEER_GATEWAY_URL: "https://dream-gateway.livepeer.cloud",
  LIVEPEER_API_KEY: "",
  LIVEPEER_MODEL: "meta-llama/Meta-Llama-3.1-8B-Instruct",
  LIVEPEER_LARGE_MODEL: "meta-llama/Meta-Llama-3.1-8B-Instruct",
  LIVEPEER_SMALL_MODEL: "meta-llama/Meta-Llama-3.1-8B-Instruct",
  LIVEPEER_TEMPERATURE: "0.6",
  LIVEPEER_MAX_TOKENS: "2048",
  OPENAI_API_KEY: "",
  ANTHROPIC_API_KEY: "",
  GROQ_API_KEY: "",
  VTUBER_ENDPOINT_URL: "http://neurosync:5001/process_text",
  NEUROSYNC_URL: "http://neurosync:5000",
  NEUROSYNC_SCB_URL: "http://neurosync:5000/scb/update",
  AUTONOMOUS_LOOP_INTERVAL: "30000",
  DATABASE_URL: "postgresql://postgres:postgres@postgres:5432/autonomous_agent",
  POSTGRES_URL: "postgresql://postgres:postgres@postgres:5432/autonomous_agent",
  DB_TYPE: "postgres",
};

/** The platform's compose file, reduced to what the slot's override meets. */
export const PLATFORM_COMPOSE = {
  services: {
    neurosync: {
      build: { context: ".", dockerfile: "./NeuroBridge/dockerfile" },
      container_name: "neurosync_s1",
      ports: ["5000:5000", "5001:5001"],
      environment: ["USE_REDIS_SCB=true", "REDIS_URL=redis://redis:6379/0"],
      networks: ["scb_bridge_net"],
    },
    redis: {
      image: "redis:7-alpine",
      container_name: "redis_scb",
      ports: ["6379:6379"],
      volumes: ["redis_data:/data"],
      networks: ["scb_bridge_net"],
      restart: "unless-stopped",
    },
    postgres: {
      image: "ankane/pgvector:latest",
      container_name: "autonomous_postgres_bridge",
      environment: [
        "POSTGRES_PASSWORD=postgres",
        "POSTGRES_USER=postgres",
        "POSTGRES_DB=autonomous_agent",
        "PGDATA=/var/lib/postgresql/data/pgdata",
      ],
      volumes: ["autonomous_postgres_data:/var/lib/postgresql/data:rw"],
      ports: ["127.0.0.1:5434:5432"],
      healthcheck: {
        test: ["CMD-SHELL", "pg_isready -U $${POSTGRES_USER} -d $${POSTGRES_DB}"],
        interval: "5s",
        timeout: "5s",
        retries: 5,
      },
      restart: "always",
      networks: ["scb_bridge_net"],
    },
    db_init: {
      image: "postgres:16-alpine",
      container_name: "autonomous_db_init",
      environment: ["PGPASSWORD=postgres"],
      networks: ["scb_bridge_net"],
      depends_on: { postgres: { condition: "service_healthy" } },
      command: "psql -h postgres -U postgres -d autonomous_agent -f /setup_analytics_tables.sql",
      restart: "no",
    },
    autonomous_starter: {
      build: { context: "./autonomous-starter", dockerfile: "Dockerfile" },
      container_name: "autonomous_starter_s3",
      working_dir: "/app",
      ports: ["3100:3000"],
      environment: Object.entries(SLOT_ENVIRONMENT).map(([k, v]) => `${k}=${v}`),
      networks: ["scb_bridge_net"],
      depends_on: {
        postgres: { condition: "service_healthy" },
        neurosync: { condition: "service_started" },
        db_init: { condition: "service_completed_successfully" },
      },
      restart: "unless-stopped",
    },
  },
  networks: { scb_bridge_net: { driver: "bridge" } },
  volumes: {
    redis_data: { driver: "local" },
    autonomous_postgres_data: { driver: "local", name: "autonomous_postgres_bridge_data" },
  },
} as const;
