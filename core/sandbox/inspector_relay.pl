#!/usr/bin/perl
# The relay that carries a kernel's CDP session out of its private network namespace, started
# by core/sandbox/launcher.pl beside the kernel inside the namespace: it dials the kernel's
# inspector on the namespace's loopback (retrying while the kernel boots) and copies bytes
# between it and its stdin/stdout, which are the kernel process's own pipes to the supervisor
# (deno itself got /dev/null and its stderr). A separate small process, not a Worker inside the
# kernel: it boots in parallel with the kernel, the kernel keeps no net permission at all, and
# nothing the kernel runs can touch it. When stdin ends (the supervisor is gone) it kills the
# kernel, its parent. Builtins only, Linux's constants (AF_INET 2, SOCK_STREAM 1, IPPROTO_TCP 6,
# TCP_NODELAY 1), the address packed by hand: IO::Socket costs 13 ms of CPU next to the booting
# kernel, this ~2 ms. Argument: the inspector's port.
my ($port) = @ARGV;
my $kernel = getppid();
my $in = pack("S n C4 x8", 2, $port, 127, 0, 0, 1);
my $t;
my $ok;
for (1 .. 10000) {
  socket($t, 2, 1, 0) or exit 1;
  $ok = connect($t, $in) and last;
  close $t;
  select(undef, undef, undef, 0.001);
}
exit 1 unless $ok;
setsockopt($t, 6, 1, 1);
my $rin = "";
vec($rin, 0, 1) = 1;
vec($rin, fileno($t), 1) = 1;
while (1) {
  next if select(my $rout = $rin, undef, undef, undef) <= 0;
  for my $fd (0, fileno($t)) {
    next unless vec($rout, $fd, 1);
    my $b;
    my $n = $fd ? sysread($t, $b, 65536) : sysread(STDIN, $b, 65536);
    if (!$n) { kill "KILL", $kernel if $fd == 0 && getppid() == $kernel; exit 0 }
    for (my $off = 0; $off < $n;) {
      my $w = $fd ? syswrite(STDOUT, $b, $n - $off, $off) : syswrite($t, $b, $n - $off, $off);
      exit 0 unless defined $w;
      $off += $w;
    }
  }
}
