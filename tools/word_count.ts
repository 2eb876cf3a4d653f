/** Counts the words, lines and characters of a text: the smallest useful example tool. */
import { z } from "zod";
import { defineTool } from "../core/tool.ts";

export default defineTool({
  description: "Count the words, lines and characters in a text",
  input: z.object({ text: z.string().describe("Text to count") }),
  output: z.object({ words: z.number(), lines: z.number(), characters: z.number() }),
  run: ({ text }) => ({
    words: text.split(/\s+/).filter(Boolean).length,
    lines: text === "" ? 0 : text.split(/\r?\n/).length,
    characters: [...text].length,
  }),
});
