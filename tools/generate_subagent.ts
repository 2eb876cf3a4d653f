/** The `generate_subagent` tool: defined in core/evolution/evolution_tools.ts over `ctx.services.evolution`. */
import { generateSubagentTool } from "../core/evolution/evolution_tools.ts";

export default generateSubagentTool;
