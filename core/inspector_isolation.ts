/**
 * How the supervisor reaches a kernel's V8 inspector, so that nothing else can drive it. No
 * transport listens where another process could connect.
 *
 * - `netns`: the kernel runs in a network namespace of its own (`unshare --user --net`, only its
 *   loopback up) with Deno's inspector on that loopback; a relay started beside it in the
 *   namespace (core/sandbox/inspector_relay.pl) owns the child's stdin and stdout and carries
 *   the supervisor's WebSocket over them. The sandbox launcher (core/sandbox/launcher.pl) sets
 *   it up and probes whether the host allows it. Needs `unshare` (util-linux), `ip` (iproute2), `perl`
 *   (perl-base) and unprivileged user namespaces, which stock Debian/Ubuntu hosts have; not a
 *   default Docker container, whose seccomp profile refuses new namespaces.
 * - `pipe`: no inspector port at all; a `node:inspector` session inside the kernel serves CDP
 *   frames on its stdin/stdout (core/cdp_pipe.ts, core/kernel/inside/pipe_relay.ts). As safe,
 *   but a cell spinning in synchronous code cannot be interrupted: a timeout kills the kernel
 *   and restores it from its checkpoint instead.
 *
 * `auto` (the default) picks `netns` when a probe succeeds, else `pipe`, and says so in a
 * warning. `loopback` (a port on the host's 127.0.0.1, which any local user could reach) is
 * gone: it is read as `pipe`.
 */
import { runSandboxed } from "./sandbox/run_sandboxed.ts";

/** The configured choice (`loopback` is a deprecated alias of `pipe`). */
export type InspectorIsolation = "auto" | "netns" | "pipe" | "loopback";

/** What a kernel is started with. */
export type IsolationPlan = { mode: "netns" } | { mode: "pipe"; reason: string };

let probed: Promise<IsolationPlan> | undefined;

/** The plan for `choice`; the probe runs once per process. `netns` without support throws. */
export async function isolationPlan(choice: InspectorIsolation = "auto"): Promise<IsolationPlan> {
  if (choice === "pipe") return { mode: "pipe", reason: "configured" };
  if (choice === "loopback") return { mode: "pipe", reason: "configured (loopback is now pipe)" };
  const plan = await (probed ??= probe());
  if (choice === "netns" && plan.mode !== "netns") {
    throw new Error(
      `kernel.isolation is "netns" but a private network namespace is not available here ` +
        `(${plan.reason}); use "auto" or "pipe", or allow unprivileged user namespaces`,
    );
  }
  return plan;
}

async function probe(): Promise<IsolationPlan> {
  if (Deno.build.os !== "linux") return { mode: "pipe", reason: `not Linux (${Deno.build.os})` };
  try {
    const r = await runSandboxed({ kind: "probe" }, { timeoutMs: 10_000 });
    const line = r.stdout.trim();
    if (r.code === 0 && line === "netns") return { mode: "netns" };
    if (r.code === 0 && line.startsWith("pipe ")) return { mode: "pipe", reason: line.slice(5) };
    return { mode: "pipe", reason: `the launcher's probe failed: ${r.stderr.trim() || line}` };
  } catch (e) {
    return { mode: "pipe", reason: (e as Error).message };
  }
}
