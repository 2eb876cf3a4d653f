/**
 * Which tools the decision loop offers the model: the VTuber tools whose service is available.
 * Speech needs the avatar, update_scb the SCB, do_research a search backend, and make_api_post
 * an allow-list (it still needs approval, which the daemon denies unless tools.yaml lifts it).
 */

/** Every VTuber tool, in the order the model sees them. */
export const VTUBER_TOOLS = [
  "send_to_vtuber",
  "direct_vtuber_speech",
  "update_scb",
  "update_context",
  "do_research",
  "make_api_post",
] as const;

/** What is available to the loop. */
export interface LoopToolAvailability {
  vtuber: boolean;
  scb: boolean;
  research: boolean;
  apiPost: boolean;
}

/** The names of the tools to offer. */
export function loopToolNames(a: LoopToolAvailability): string[] {
  const needs: Record<(typeof VTUBER_TOOLS)[number], boolean> = {
    send_to_vtuber: a.vtuber,
    direct_vtuber_speech: a.vtuber,
    update_scb: a.scb,
    update_context: true,
    do_research: a.research,
    make_api_post: a.apiPost,
  };
  return VTUBER_TOOLS.filter((t) => needs[t]);
}
