/**
 * The console wired to a running daemon: cycles with the approvals they waited for, live cycle
 * events from the decision loop once the agent is wired, the learned-skills queue over
 * learned_skills/ and `<DATA_DIR>/evolution`, prices from the config.
 */
import type { Config } from "../config.ts";
import type { Platform } from "../platform/platform_wiring.ts";
import type { CycleRecord } from "../platform/decision_loop.ts";
import { evolutionPaths } from "../evolution/evolution_paths.ts";
import { consoleHandler } from "./console_app.ts";
import { skillsQueue } from "./skills_queue.ts";
import type { ToolApprovals } from "./tool_approvals.ts";
import type { ShownCycle } from "./views_cycles.ts";

/** Settings of {@link daemonConsole}. */
export interface DaemonConsoleOptions {
  config: Config;
  platform(): Platform | undefined;
  ready: Promise<Platform | undefined>;
  status(): Record<string, unknown>;
  runCycle(): Promise<CycleRecord> | undefined | "busy";
  approvals: ToolApprovals;
  token?: string | undefined;
}

/** The console's handler plus `withApprovals` (the same view of a cycle for `/api/cycles`). */
export function daemonConsole(o: DaemonConsoleOptions) {
  const withApprovals = (r: CycleRecord): ShownCycle => {
    const approvals = o.approvals.forSession(`cycle-${r.id}`);
    return approvals.length ? { ...r, approvals } : r;
  };
  const listeners = new Set<(r: ShownCycle) => void>();
  void o.ready.then((p) =>
    p?.loop?.subscribe((r) => listeners.forEach((fn) => fn(withApprovals(r))))
  );
  const paths = evolutionPaths(o.config.paths.learnedSkills, o.config.database.dataDir);
  const handler = consoleHandler({
    status: o.status,
    cycles: (limit) => (o.platform()?.loop?.cycles(limit) ?? []).map(withApprovals),
    onCycle: (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    runCycle: o.runCycle,
    approvals: o.approvals,
    skills: skillsQueue({ ...paths, approve: approveWithCli }),
    memory: () => o.platform()?.memory,
    registry: () => o.platform()?.registry,
    prices: {
      inputPerM: o.config.model.inputPricePerM,
      outputPerM: o.config.model.outputPricePerM,
    },
    token: o.token,
  });
  return { handler, withApprovals };
}

/** `deno task cli skills approve <name>`, in process: the same checks, the same decision. */
async function approveWithCli(name: string): Promise<{ ok: boolean; message: string }> {
  const { skillsCommand } = await import("../cli/skills_command.ts");
  const lines: string[] = [];
  const [log, error] = [console.log, console.error];
  console.log = console.error = (...xs: unknown[]) => lines.push(xs.map(String).join(" "));
  try {
    const code = await skillsCommand.run(["approve", name]);
    return {
      ok: code === 0,
      message: lines.join(" ") || (code === 0 ? `approved ${name}` : `not approved`),
    };
  } catch (e) {
    return { ok: false, message: `not approved: ${(e as Error).message}` };
  } finally {
    console.log = log;
    console.error = error;
  }
}
