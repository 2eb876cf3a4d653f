/** Test tool: pretends to delete a file; requires approval. */
import { z } from "zod";
import { defineTool } from "../../../tool.ts";

export default defineTool({
  description: "Delete a file from the workspace (irreversible)",
  input: z.object({ path: z.string().describe("Path of the file to delete") }),
  requiresApproval: true,
  run: ({ path }) => ({ deleted: path }),
});
