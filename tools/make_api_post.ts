/**
 * MAKE_API_POST: really sends a JSON POST, but only to hosts on the allow-list
 * (`tools.make_api_post.params.allowedHosts` in tools.yaml, or `services.apiPostHosts` from
 * API_POST_ALLOWED_HOSTS) and, by default, only after approval. The reply is returned, capped.
 */
import { z } from "zod";
import { defineTool } from "../core/tool.ts";

/** The hosts the tool may post to, from params or services. */
function allowedHosts(
  params: Record<string, unknown>,
  services: Record<string, unknown>,
): string[] {
  const from = params.allowedHosts ?? services.apiPostHosts;
  return Array.isArray(from) ? from.filter((h): h is string => typeof h === "string") : [];
}

export default defineTool({
  description:
    "POST a JSON body to an external HTTP API (MAKE_API_POST); only allow-listed hosts, approval required",
  input: z.object({
    url: z.string().url().describe("Full https URL of the endpoint"),
    body: z.record(z.string(), z.unknown()).describe("JSON object to send"),
    headers: z.record(z.string(), z.string()).default({}).describe("Extra headers"),
  }),
  output: z.object({ status: z.number(), ok: z.boolean(), body: z.string() }),
  requiresApproval: true,
  timeoutMs: 20_000,
  permissions: { net: ["allowedHosts"] },
  tags: ["http", "webhook", "post", "api", "make_api_post", "send"],
  run: async ({ url, body, headers }, ctx) => {
    const host = new URL(url).host;
    const allowed = allowedHosts(ctx.params, ctx.services);
    if (!allowed.includes(host) && !allowed.includes(new URL(url).hostname)) {
      throw new Error(
        `Host "${host}" is not on the make_api_post allow-list` +
          (allowed.length ? ` (${allowed.join(", ")})` : " (empty: set API_POST_ALLOWED_HOSTS)"),
      );
    }
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
      signal: ctx.signal,
      redirect: "manual",
    });
    const text = await res.text();
    return { status: res.status, ok: res.ok, body: text.slice(0, 4000) };
  },
});
