/** The `generate_function` tool: defined in core/evolution/evolution_tools.ts over `ctx.services.evolution`. */
import { generateFunctionTool } from "../core/evolution/evolution_tools.ts";

export default generateFunctionTool;
