/**
 * DIRECT_VTUBER_SPEECH: a manager directive to the avatar (`is_directive: true`,
 * `authority_level: "manager"`), the only combination the platform treats as a directive:
 * not logged as viewer chat, and the reply is logged with actor `vtuber_autonomous`. Manager
 * authority cannot be driven by viewer text alone (issue 14.6): in a decision cycle that showed
 * untrusted text (viewer chat, others' SCB entries, research results, unverified notes) the text
 * is sent as a suggestion (`authority_level: "assistant"`) and the result says so, unless the
 * operator set MANAGER_DIRECTIVES=always.
 */
import { z } from "zod";
import { defineTool } from "../core/tool.ts";
import { serviceFrom, type VtuberService } from "../core/platform/platform_services.ts";
import { speechResult } from "../core/platform/speech_result.ts";
import { taintOf } from "../core/platform/cycle_taint.ts";

export default defineTool({
  description:
    "Give the VTuber avatar a manager directive (DIRECT_VTUBER_SPEECH): an instruction it acts on, not viewer chat",
  input: z.object({
    text: z.string().trim().min(1).max(2000).describe(
      "The directive, e.g. 'Thank the new followers'",
    ),
  }),
  output: z.object({
    spoken: z.boolean(),
    status: z.string(),
    detail: z.string(),
    authority: z.enum(["manager", "assistant"]),
  }),
  timeoutMs: 150_000,
  permissions: { net: ["VTUBER_ENDPOINT_URL host"] },
  tags: ["directive", "instruct", "avatar", "manager", "direct_vtuber_speech", "speak"],
  run: async ({ text }, ctx) => {
    const vtuber = serviceFrom<VtuberService>(ctx.services, "vtuber", ["speak"]);
    const taint = taintOf(ctx.services);
    if (taint?.tainted && ctx.services.managerDirectives !== "always") {
      const r = speechResult(await vtuber.speak(text));
      return {
        ...r,
        authority: "assistant" as const,
        detail: `${r.detail}; sent as a suggestion, not a manager directive: this cycle showed ` +
          `untrusted text (${[...taint.sources].join(", ")})`,
      };
    }
    return {
      ...speechResult(await vtuber.speak(text, { directive: true })),
      authority: "manager" as const,
    };
  },
});
