/**
 * MAKE_API_POST: really sends a JSON POST, but only to exact `host:port` pairs on the allow-list
 * (`tools.make_api_post.params.allowedHosts` in tools.yaml, or `services.apiPostHosts` from
 * API_POST_ALLOWED_HOSTS), over https unless an entry says `http://`, never to the daemon
 * itself, without following redirects, and by default only after approval. The reply is returned,
 * capped (see core/platform/post_allowlist.ts).
 */
import { z } from "zod";
import { defineTool } from "../core/tool.ts";
import { checkPostUrl, parseAllowList, type SelfAddress } from "../core/platform/post_allowlist.ts";

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
    const allow = parseAllowList(allowedHosts(ctx.params, ctx.services));
    const target = checkPostUrl(url, allow, ctx.services.selfAddress as SelfAddress | undefined);
    const res = await fetch(target, {
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
