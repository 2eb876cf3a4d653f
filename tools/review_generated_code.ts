/** The `review_generated_code` tool: defined in core/evolution/evolution_tools.ts over `ctx.services.evolution`. */
import { reviewGeneratedCodeTool } from "../core/evolution/evolution_tools.ts";

export default reviewGeneratedCodeTool;
