/** The `analyze_history` tool: defined in core/evolution/evolution_tools.ts over `ctx.services.evolution`. */
import { analyzeHistoryTool } from "../core/evolution/evolution_tools.ts";

export default analyzeHistoryTool;
