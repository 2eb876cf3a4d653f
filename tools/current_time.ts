/** Tells the current date and time, in UTC or an IANA time zone. An example of a tool that
 * validates an argument the schema cannot (the zone name) and reports it clearly. */
import { z } from "zod";
import { defineTool } from "../core/tool.ts";

export default defineTool({
  description: "Get the current date and time, optionally in a given time zone",
  input: z.object({
    timeZone: z.string().default("UTC").describe("IANA time zone such as Europe/Paris"),
  }),
  output: z.object({ iso: z.string(), local: z.string(), timeZone: z.string() }),
  tags: ["clock", "now", "today", "date", "timezone"],
  run: ({ timeZone }) => {
    const now = new Date();
    let local: string;
    try {
      local = now.toLocaleString("sv-SE", { timeZone, hour12: false });
    } catch {
      throw new Error(`Unknown time zone "${timeZone}" (expected an IANA name like Europe/Paris)`);
    }
    return { iso: now.toISOString(), local, timeZone };
  },
});
