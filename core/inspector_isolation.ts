/**
 * How the supervisor reaches a kernel's V8 inspector, so that nothing else can drive it. No
 * transport listens where another process could connect.
 *
 * - `netns`: the kernel runs in a network namespace of its own (`unshare --user --net`, only its
 *   loopback up) with Deno's inspector on that loopback; a relay started beside it in the
 *   namespace (core/inspector_relay.ts) owns the child's stdin and stdout and carries the
 *   supervisor's WebSocket over them. Needs `unshare` (util-linux), `ip` (iproute2), `perl`
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

/** The configured choice (`loopback` is a deprecated alias of `pipe`). */
export type InspectorIsolation = "auto" | "netns" | "pipe" | "loopback";

/** What a child is started with; `netns` carries the absolute paths of the tools it needs. */
export type IsolationPlan =
  | { mode: "netns"; ip: string; perl: string }
  | { mode: "pipe"; reason: string };

const IP_PATHS = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"];
const PERL_PATHS = ["/usr/bin/perl", "/bin/perl", "/usr/local/bin/perl"];
/** The inspector port inside a private namespace (nothing else is there to clash with). */
export const NETNS_INSPECTOR_PORT = 9229;

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
  if (Deno.permissions.querySync({ name: "run", command: "unshare" }).state !== "granted") {
    return { mode: "pipe", reason: "no permission to run unshare" };
  }
  // Tries every (ip, perl) pair in one namespace: the relay's modules are loaded too.
  const script =
    IP_PATHS.map((ip) =>
      PERL_PATHS.map((perl) =>
        `${ip} link set lo up 2>/dev/null && ` +
        `${perl} -e 1 2>/dev/null && ` +
        `{ echo "${ip} ${perl}"; exit 0; }`
      ).join("\n")
    ).join("\n") + "\necho 'no working ip and perl inside the namespace' >&2; exit 1";
  try {
    const out = await new Deno.Command("unshare", {
      args: ["--user", "--map-root-user", "--net", "/bin/sh", "-c", script],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      clearEnv: true,
    }).output();
    const [ip, perl] = new TextDecoder().decode(out.stdout).trim().split(" ");
    if (out.success && ip && perl) return { mode: "netns", ip, perl };
    const why = new TextDecoder().decode(out.stderr).trim().split("\n")[0] || `exit ${out.code}`;
    return { mode: "pipe", reason: `unshare --user --net: ${why}` };
  } catch (e) {
    return { mode: "pipe", reason: `cannot run unshare: ${(e as Error).message}` };
  }
}
