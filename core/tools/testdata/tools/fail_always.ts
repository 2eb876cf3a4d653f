/** Test tool: always throws, to check that a failing tool becomes an error result. */
import { z } from "zod";
import { defineTool } from "../../../tool.ts";

export default defineTool({
  description: "A tool that always fails with an exception",
  input: z.object({}),
  run: (): never => {
    throw new Error("disk on fire");
  },
});
