/** Test tool: echoes its text, with an optional prefix from tools.yaml params. */
import { z } from "zod";
import { defineTool } from "../../../tool.ts";

export default defineTool({
  description: "Echo a text back, optionally repeated",
  input: z.object({
    text: z.string().describe("Text to echo"),
    times: z.number().int().min(1).default(1).describe("How many times to repeat it"),
  }),
  output: z.object({ echoed: z.string() }),
  run: ({ text, times }, ctx) => ({
    echoed: `${String(ctx.params.prefix ?? "")}${text.repeat(times)}`,
  }),
});
