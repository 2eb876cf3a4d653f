/**
 * Helpers the orchestrator installs in each kernel as hidden globals: `call_subagent`,
 * `search_tools`, `describe_tool`. `call_subagent` reads the variable inside the kernel and
 * sends its value with the call (the kernel runs one thing at a time, so the supervisor cannot
 * read a variable while the calling cell waits), then stores the answer as `<name>_result`.
 */

/** JavaScript run once in a fresh kernel (no TypeScript, so either kernel can run it). */
export const KERNEL_PRELUDE = `(() => {
  const hide = (name, value) => Object.defineProperty(globalThis, name, { value, enumerable: false, configurable: true, writable: false });
  const readVar = (0, eval);
  hide("call_subagent", async (name, variable_name, instructions) => {
    if (typeof name !== "string" || typeof variable_name !== "string") {
      throw new TypeError("call_subagent(name, variable_name, instructions?): name and variable_name must be strings, e.g. call_subagent(\\"summarizer\\", \\"notes\\")");
    }
    let value;
    try { value = readVar(variable_name); } catch { throw new ReferenceError("call_subagent: no variable named \\"" + variable_name + "\\""); }
    const result = await tools.call_subagent({ name, variable_name, instructions, value });
    globalThis[name + "_result"] = result;
    return result;
  });
  hide("search_tools", (query, k) => tools.search_tools({ query, k }));
  hide("describe_tool", (name) => tools.describe_tool({ name }));
})();
undefined`;
