/** Test tool: waits until its signal aborts or `ms` pass, to exercise timeouts. */
import { z } from "zod";
import { defineTool } from "../../../tool.ts";

export default defineTool({
  description: "Wait for a number of milliseconds, stopping early when cancelled",
  input: z.object({ ms: z.number().int().min(0).describe("Milliseconds to wait") }),
  timeoutMs: 50,
  run: ({ ms }, ctx) =>
    new Promise<{ waited: number }>((resolve, reject) => {
      const timer = setTimeout(() => resolve({ waited: ms }), ms);
      ctx.signal.addEventListener("abort", () => {
        clearTimeout(timer);
        reject(new Error("aborted"));
      });
    }),
});
