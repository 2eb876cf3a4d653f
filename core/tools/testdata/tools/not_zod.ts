/** Test tool that is invalid on purpose: `input` is a plain JSON Schema, not zod. */
export default {
  description: "Has a JSON Schema instead of zod",
  input: { type: "object" },
  run: () => 1,
};
