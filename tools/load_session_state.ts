/** The `load_session_state` tool: defined in core/evolution/evolution_tools.ts over `ctx.services.evolution`. */
import { loadSessionStateTool } from "../core/evolution/evolution_tools.ts";

export default loadSessionStateTool;
