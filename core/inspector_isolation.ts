/**
 * Where a child's V8 inspector listens, so that nothing but the supervisor can drive it.
 *
 * - `netns`: the child runs in a network namespace of its own (`unshare --user --net`, with
 *   only its loopback up), so its inspector port exists nowhere else on the host; the
 *   supervisor reaches it through a relay started beside it (core/inspector_relay.ts) over a
 *   one-shot Unix socket. Needs `unshare` (util-linux), `ip` (iproute2), `perl` (perl-base) and
 *   unprivileged user namespaces, which stock Debian/Ubuntu hosts have; not inside a default
 *   Docker container, whose seccomp profile refuses new namespaces (there the container's own
 *   network namespace holds only this program's processes).
 * - `loopback`: the inspector listens on a random port of the host's 127.0.0.1 and the
 *   supervisor dials it; it kills the child if any other session attaches, but a local process
 *   could attach first for a moment.
 *
 * `auto` (the default) picks `netns` when a probe succeeds, else `loopback` with a warning.
 */

/** The configured choice. */
export type InspectorIsolation = "auto" | "netns" | "loopback";

/** What a child is started with; `netns` carries the absolute paths of the tools it needs. */
export type IsolationPlan =
  | { mode: "netns"; ip: string; perl: string }
  | { mode: "loopback"; reason: string };

const IP_PATHS = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"];
const PERL_PATHS = ["/usr/bin/perl", "/bin/perl", "/usr/local/bin/perl"];
/** The inspector port inside a private namespace (nothing else is there to clash with). */
export const NETNS_INSPECTOR_PORT = 9229;

let probed: Promise<IsolationPlan> | undefined;

/** The plan for `choice`; the probe runs once per process. `netns` without support throws. */
export async function isolationPlan(choice: InspectorIsolation = "auto"): Promise<IsolationPlan> {
  if (choice === "loopback") return { mode: "loopback", reason: "configured" };
  const plan = await (probed ??= probe());
  if (choice === "netns" && plan.mode !== "netns") {
    throw new Error(
      `kernel.isolation is "netns" but a private network namespace is not available here ` +
        `(${plan.reason}); use "auto" or "loopback", or allow unprivileged user namespaces`,
    );
  }
  return plan;
}

async function probe(): Promise<IsolationPlan> {
  if (Deno.build.os !== "linux") {
    return { mode: "loopback", reason: `not Linux (${Deno.build.os})` };
  }
  if (Deno.permissions.querySync({ name: "run", command: "unshare" }).state !== "granted") {
    return { mode: "loopback", reason: "no permission to run unshare (--allow-run=deno,unshare)" };
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
    return { mode: "loopback", reason: `unshare --user --net: ${why}` };
  } catch (e) {
    return { mode: "loopback", reason: `cannot run unshare: ${(e as Error).message}` };
  }
}
