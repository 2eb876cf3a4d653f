/**
 * The permissions the memory actor needs, computed from its config: net to the database host
 * (and the embedding host) when a URL is set; otherwise read/write of `<dataDir>/pglite`
 * and read of PGlite's package directories in DENO_DIR (it loads its WASM and the vector
 * extension from there at run time; see ../shared/notes/deno-measurements.md Q6). Always:
 * read of the word vector table shipped in core/memory/data/.
 */
import type { ActorPermissions } from "../actor.ts";
import { WORD_VECTORS_FILE } from "./load_word_vectors.ts";

/** The config keys the memory actor uses (a subset of the app Config). */
export interface MemoryActorConfig {
  database: { url?: string | undefined; dataDir: string };
  embedding: {
    baseUrl?: string | undefined;
    apiKey?: string | undefined;
    model?: string | undefined;
    dim: number;
  };
}

/** `host:port` of a URL (default port by scheme), for a net allowlist. */
export function hostPort(url: string, defaultPort: number): string {
  const u = new URL(url);
  const port = u.port || String(u.protocol === "https:" ? 443 : defaultPort);
  return `${u.hostname}:${port}`;
}

/** The package root directory of a resolved npm module URL, when it is a file URL. */
function packageDir(specifier: string): string | undefined {
  try {
    const url = import.meta.resolve(specifier);
    if (!url.startsWith("file:")) return undefined;
    const path = decodeURIComponent(new URL(url).pathname);
    const m = path.match(/^(.*\/(?:@[^/]+\/)?[^/]+\/\d[^/]*)\//);
    return m?.[1] ?? path.replace(/\/dist\/.*$/, "");
  } catch {
    return undefined;
  }
}

/** Environment variables npm:pg reads while connecting (it throws when one is denied). */
export const PG_ENV = [
  "USER",
  "USERNAME",
  "NODE_PG_FORCE_NATIVE",
  "PGUSER",
  "PGDATABASE",
  "PGPORT",
  "PGHOST",
  "PGPASSWORD",
  "PGBINARY",
  "PGOPTIONS",
  "PGCLIENT_ENCODING",
  "PGREPLICATION",
  "PGAPPNAME",
  "PGSSLMODE",
  "PGCONNECT_TIMEOUT",
  "PGPASSFILE",
];

/** Least privilege for the memory actor under `raw` (the unparsed spawn config). */
export function memoryPermissions(raw: Partial<MemoryActorConfig>): ActorPermissions {
  const config: MemoryActorConfig = {
    database: { dataDir: "./data", ...raw?.database },
    embedding: { dim: 384, ...raw?.embedding },
  };
  const net: string[] = [];
  const env: string[] = [];
  const dataDir = config.database.dataDir.replace(/\/+$/, "");
  const read: string[] = [decodeURIComponent(WORD_VECTORS_FILE.pathname)];
  const write: string[] = [];
  if (config.embedding.baseUrl && config.embedding.model) {
    net.push(hostPort(config.embedding.baseUrl, 80));
  }
  if (config.database.url) {
    net.push(hostPort(config.database.url.replace(/^postgres(ql)?:/, "http:"), 5432));
    env.push(...PG_ENV);
  } else {
    const dir = `${dataDir}/pglite`;
    read.push(dir);
    write.push(dir);
    for (const spec of ["@electric-sql/pglite", "@electric-sql/pglite-pgvector"]) {
      const dir = packageDir(spec);
      if (dir) read.push(dir);
    }
  }
  return {
    ...(net.length ? { net } : {}),
    ...(env.length ? { env } : {}),
    read,
    write,
  };
}
