/**
 * SEND_TO_VTUBER: a suggestion the avatar speaks about (`is_directive: false`). The avatar
 * answers in its own words; a closed job window (403) is reported as not spoken, not as an
 * error, so the loop keeps cycling; a 400 or 500 from the avatar fails the call.
 */
import { z } from "zod";
import { defineTool } from "../core/tool.ts";
import { serviceFrom, type VtuberService } from "../core/platform/platform_services.ts";
import { speechResult } from "../core/platform/speech_result.ts";

export default defineTool({
  description:
    "Send a suggestion to the VTuber avatar (SEND_TO_VTUBER): a topic, question or remark for it to speak about",
  input: z.object({
    text: z.string().trim().min(1).max(2000).describe("What the avatar should talk about"),
    priority: z.enum(["low", "normal", "high"]).default("normal"),
  }),
  output: z.object({ spoken: z.boolean(), status: z.string(), detail: z.string() }),
  timeoutMs: 150_000,
  permissions: { net: ["VTUBER_ENDPOINT_URL host"] },
  tags: ["speak", "say", "avatar", "stream", "send_to_vtuber", "suggestion"],
  run: async ({ text, priority }, ctx) => {
    const vtuber = serviceFrom<VtuberService>(ctx.services, "vtuber", ["speak"]);
    return speechResult(await vtuber.speak(text, { priority }));
  },
});
