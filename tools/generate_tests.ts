/** The `generate_tests` tool: defined in core/evolution/evolution_tools.ts over `ctx.services.evolution`. */
import { generateTestsTool } from "../core/evolution/evolution_tools.ts";

export default generateTestsTool;
