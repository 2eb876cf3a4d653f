/**
 * The relay that carries a kernel's CDP session out of its private network namespace (see
 * core/inspector_isolation.ts). It is a few lines of Perl (perl-base, which Debian and Ubuntu
 * always install; Linux only, as namespaces are), started beside the kernel inside the
 * namespace by the same `sh`: it dials the kernel's inspector on the namespace's loopback
 * (retrying while the kernel boots) and copies bytes between it and the child's stdin and
 * stdout, which it alone holds: deno itself gets /dev/null for stdin and its stderr for stdout.
 * A separate small process, not a Worker inside the kernel: it boots in parallel with the
 * kernel, the kernel keeps no net permission at all, and nothing the kernel runs can touch it.
 * When stdin ends (the supervisor is gone) it kills the kernel (its parent: `sh` execs into
 * deno), so no kernel is left running with no one to stop it.
 */

/**
 * Argument: the inspector port. Builtins only, with Linux's constants (AF_INET 2, SOCK_STREAM
 * 1, IPPROTO_TCP 6, TCP_NODELAY 1) and the socket address packed by hand: loading IO::Socket
 * costs 13 ms of CPU next to the booting kernel, this ~2 ms.
 */
export const RELAY_PERL = `
my ($port) = @ARGV; my $kernel = getppid();
my $in = pack("S n C4 x8", 2, $port, 127, 0, 0, 1);
my $t; my $ok;
for (1 .. 10000) {
  socket($t, 2, 1, 0) or exit 1;
  $ok = connect($t, $in) and last;
  close $t; select(undef, undef, undef, 0.001);
}
exit 1 unless $ok;
setsockopt($t, 6, 1, 1);
my $rin = ""; vec($rin, 0, 1) = 1; vec($rin, fileno($t), 1) = 1;
while (1) {
  next if select(my $rout = $rin, undef, undef, undef) <= 0;
  for my $fd (0, fileno($t)) {
    next unless vec($rout, $fd, 1);
    my $b; my $n = $fd ? sysread($t, $b, 65536) : sysread(STDIN, $b, 65536);
    if (!$n) { kill "KILL", $kernel if $fd == 0 && getppid() == $kernel; exit 0 }
    for (my $off = 0; $off < $n;) {
      my $w = $fd ? syswrite(STDOUT, $b, $n - $off, $off) : syswrite($t, $b, $n - $off, $off);
      exit 0 unless defined $w; $off += $w;
    }
  }
}
`;

/**
 * The command and arguments to put in front of `deno run ...`: a private user and network
 * namespace, its loopback up, the relay started in the background on the original stdin and
 * stdout (fds 3 and 4: a background job's stdin would be /dev/null), then `exec` into deno (the
 * same pid, so kill and the RSS watchdog reach the kernel itself).
 */
export function relayPrefix(tools: { ip: string; perl: string }, port: number): string[] {
  const script = `${tools.ip} link set lo up || exit 97\n` +
    `exec 3<&0 4>&1\n` +
    `${tools.perl} -e "$1" "$2" <&3 >&4 3<&- 4>&- &\n` +
    `shift 2\nexec "$@" </dev/null >&2 3<&- 4>&-`;
  return [
    "unshare",
    "--user",
    "--map-root-user",
    "--net",
    "/bin/sh",
    "-c",
    script,
    "sh",
    RELAY_PERL,
    String(port),
  ];
}
