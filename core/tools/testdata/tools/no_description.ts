/** Test tool that is invalid on purpose: its default export has no description. */
import { z } from "zod";

export default {
  input: z.object({}),
  run: () => 1,
};
