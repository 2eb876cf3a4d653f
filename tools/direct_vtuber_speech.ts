/**
 * DIRECT_VTUBER_SPEECH: a manager directive to the avatar (`is_directive: true`,
 * `authority_level: "manager"`), the only combination the platform treats as a directive:
 * not logged as viewer chat, and the reply is logged with actor `vtuber_autonomous`.
 */
import { z } from "zod";
import { defineTool } from "../core/tool.ts";
import { serviceFrom, type VtuberService } from "../core/platform/platform_services.ts";
import { speechResult } from "../core/platform/speech_result.ts";

export default defineTool({
  description:
    "Give the VTuber avatar a manager directive (DIRECT_VTUBER_SPEECH): an instruction it acts on, not viewer chat",
  input: z.object({
    text: z.string().trim().min(1).max(2000).describe(
      "The directive, e.g. 'Thank the new followers'",
    ),
  }),
  output: z.object({ spoken: z.boolean(), status: z.string(), detail: z.string() }),
  timeoutMs: 150_000,
  permissions: { net: ["VTUBER_ENDPOINT_URL host"] },
  tags: ["directive", "instruct", "avatar", "manager", "direct_vtuber_speech", "speak"],
  run: async ({ text }, ctx) => {
    const vtuber = serviceFrom<VtuberService>(ctx.services, "vtuber", ["speak"]);
    return speechResult(await vtuber.speak(text, { directive: true }));
  },
});
