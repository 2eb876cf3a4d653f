/**
 * A database that goes away mid-write: the write is retried on a new connection and lands once,
 * or, when the database stays away, fails with MemoryUnavailableError. Never a silent drop.
 */
import assert from "node:assert/strict";
import { serviceUrl } from "../testing/services.ts";
import { MemoryUnavailableError } from "./errors.ts";
import { HashEmbedder } from "./hash_embedder.ts";
import { MemoryStore } from "./memory_store.ts";
import { PgClient } from "./pg_client.ts";
import { withRetry } from "./retry.ts";
import type { SqlClient, SqlQueryable } from "./sql_client.ts";
import { testPglite, testPostgres } from "./testing.ts";

const pgUrl = serviceUrl("DATABASE_URL");
const embedder = new HashEmbedder(384);
const retry = { attempts: 3, backoffMs: 5 };

/** Wraps a client so the first `failures` transactions break after their first statement. */
function dropsMidWrite(
  inner: SqlClient,
  failures: number,
  breakConnection?: (tx: SqlQueryable) => Promise<unknown>,
): SqlClient & { attempts: number } {
  const client: SqlClient & { attempts: number } = {
    engine: inner.engine,
    attempts: 0,
    query: (text, params) => inner.query(text, params),
    exec: (sql) => inner.exec(sql),
    close: () => inner.close(),
    transaction: (fn) =>
      inner.transaction(async (tx) => {
        client.attempts++;
        const failing = client.attempts <= failures;
        let statements = 0;
        const wrapped: SqlQueryable = {
          query: async (text, params) => {
            const rows = await tx.query(text, params);
            if (failing && ++statements === 1) {
              if (breakConnection) await breakConnection(tx);
              throw Object.assign(new Error("Connection terminated unexpectedly"), {
                code: "ECONNRESET",
              });
            }
            return rows as never;
          },
        };
        return await fn(wrapped);
      }),
  };
  return client;
}

Deno.test("a write interrupted mid-transaction is retried and lands exactly once", async () => {
  const db = await testPglite();
  try {
    await MemoryStore.open(db.sql, { embedder });
    const flaky = dropsMidWrite(db.sql, 1);
    const store = await MemoryStore.open(flaky, { embedder, retry, skipMigrations: true });
    const m = await store.store({ type: "facts", content: { text: "the retried write" } });
    assert.equal(flaky.attempts, 2);
    const rows = await db.sql.query(`SELECT count(*)::int AS n FROM memories WHERE "id" = $1`, [
      m.id,
    ]);
    assert.equal(rows[0]?.n, 1);
    assert.equal((await store.search({ text: "retried write" }))[0]?.memory.id, m.id);
  } finally {
    await db.cleanup();
  }
});

Deno.test("a retry after a lost COMMIT acknowledgement does not store twice", async () => {
  const db = await testPglite();
  try {
    await MemoryStore.open(db.sql, { embedder });
    let calls = 0;
    const ackLost: SqlClient = {
      engine: db.sql.engine,
      query: (text, params) => db.sql.query(text, params),
      exec: (sql) => db.sql.exec(sql),
      close: () => db.sql.close(),
      transaction: async (fn) => {
        const value = await db.sql.transaction(fn);
        if (++calls === 1) {
          throw Object.assign(new Error("Connection terminated unexpectedly"), {
            code: "ECONNRESET",
          });
        }
        return value;
      },
    };
    const store = await MemoryStore.open(ackLost, { embedder, retry, skipMigrations: true });
    const m = await store.store({ type: "facts", content: { text: "committed once" } });
    assert.equal(calls, 2);
    const [row] = await db.sql.query(
      `SELECT (SELECT count(*)::int FROM memories) AS memories,
              (SELECT count(*)::int FROM embeddings WHERE memory_id = $1) AS vectors`,
      [m.id],
    );
    assert.deepEqual(row, { memories: 1, vectors: 1 });
  } finally {
    await db.cleanup();
  }
});

Deno.test("a database that stays away is reported, and nothing half-written remains", async () => {
  const db = await testPglite();
  try {
    await MemoryStore.open(db.sql, { embedder });
    const flaky = dropsMidWrite(db.sql, 99);
    const store = await MemoryStore.open(flaky, { embedder, retry, skipMigrations: true });
    await assert.rejects(
      store.store({ type: "facts", content: { text: "never lands" } }),
      (e) =>
        e instanceof MemoryUnavailableError &&
        /Memory store failed after 3 attempt/.test(e.message),
    );
    const rows = await db.sql.query(`SELECT count(*)::int AS n FROM memories`);
    assert.equal(rows[0]?.n, 0);
  } finally {
    await db.cleanup();
  }
});

Deno.test("an unreachable PostgreSQL fails with MemoryUnavailableError", async () => {
  const sql = new PgClient({ url: "postgres://postgres@127.0.0.1:1/none", connectTimeoutMs: 500 });
  try {
    const store = await MemoryStore.open(sql, { embedder, retry, skipMigrations: true });
    await assert.rejects(
      store.store({ type: "facts", content: { text: "x" } }),
      (e) => e instanceof MemoryUnavailableError && /ECONNREFUSED|connect/i.test(e.message),
    );
  } finally {
    await sql.close();
  }
});

Deno.test("errors that are not about the connection are not retried", async () => {
  let calls = 0;
  await assert.rejects(
    withRetry("store", () => {
      calls++;
      return Promise.reject(Object.assign(new Error("duplicate key"), { code: "23505" }));
    }, retry),
    /duplicate key/,
  );
  assert.equal(calls, 1);
});

Deno.test({
  name: "PostgreSQL killing the backend mid-write: the store retries on a new connection",
  ignore: !pgUrl,
  fn: async () => {
    const db = await testPostgres(pgUrl!);
    try {
      await MemoryStore.open(db.sql, { embedder });
      const flaky = dropsMidWrite(db.sql, 1, (tx) =>
        // The server really drops this connection; the error we throw stands in for the
        // driver's own, which would otherwise surface at the next statement.
        tx.query(`SELECT pg_terminate_backend(pg_backend_pid())`).catch(() => undefined));
      const store = await MemoryStore.open(flaky, { embedder, retry, skipMigrations: true });
      const m = await store.store({ type: "facts", content: { text: "survives a backend kill" } });
      assert.equal(flaky.attempts, 2);
      assert.equal((await store.get(m.id))?.content.text, "survives a backend kill");
    } finally {
      await db.cleanup();
    }
  },
});
