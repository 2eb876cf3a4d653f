/**
 * The generic sub-agent actor: runs the sub-agent whose definition arrives in the `run` message (the
 * generated ones in learned_skills/agents/<name>/). No permissions: the model, kernel and tool
 * search are supervisor capabilities. See core/agent/subagent_actor.ts.
 */
import { subagentActor } from "../core/agent/subagent_actor.ts";

export default subagentActor();
