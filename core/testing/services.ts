/**
 * Integration tests and the real services they need. A test that needs PostgreSQL or Redis
 * reads the URL here: unset on a developer machine → the test is ignored (so `deno task test`
 * works with only Deno); unset when CI=true → it fails at load, because CI must never skip one.
 *
 * @example
 * ```ts
 * const db = serviceUrl("DATABASE_URL");
 * Deno.test({ name: "stores a row in PostgreSQL", ignore: !db, fn: async () => { ... } });
 * ```
 */

/** The service's URL from the environment, or undefined (ignore the test) outside CI. */
export function serviceUrl(name: "DATABASE_URL" | "REDIS_URL"): string | undefined {
  const value = Deno.env.get(name);
  if (value) return value;
  if (Deno.env.get("CI") === "true") {
    throw new Error(`${name} is not set but CI=true: integration tests must not be skipped in CI`);
  }
  return undefined;
}
