#!/usr/bin/perl
# The sandbox launcher: the one program the supervisor may run (its whole --allow-run). It
# starts only sandboxed deno processes, with flag sets fixed here, never the caller's:
#   probe                  prints "netns" when private network namespaces work here, else "pipe <why>"
#   kernel                 a kernel (core/kernel/inside/entry.ts): --workspace --learned --heap-mb
#                          --output-limit --transport=netns|pipe
#   rss-probe              the RSS probe helper (core/subprocess_rss_probe.ts)
#   test                   a generated test (core/evolution/sandbox_test_entry.ts): --scratch --read
#                          --file --heap-mb
#   coverage               `deno coverage --lcov` of a test run: --scratch --read
#   check | lint | doc     one static check of --file(s) in --dir
# A directory is granted (to read or write) only when the caller proved it may write there: it
# made `<dir>/.sandbox-grant-<id>` holding a secret and passes --grant=<dir>=<id>:<secret>
# (core/sandbox/grant.ts); the file is consumed here. So a sandbox never reaches a file its
# caller could not reach itself. The deno binary is the caller's own (/proc/<ppid>/exe) and the
# environment is rebuilt from the caller's initial one: nothing in this call's environment, cwd
# or PATH is used. Errors: one line on stderr starting "sandbox launcher:", exit 2.
use strict;
use warnings;
use Config;
use Cwd qw(realpath);
use Fcntl qw(O_RDONLY O_NOFOLLOW);
use POSIX ();

my $SELF = realpath($0) // fail("cannot resolve its own path");
(my $PROJECT = $SELF) =~ s{/core/sandbox/launcher\.pl$}{} or fail("not at core/sandbox/launcher.pl");
my $CONFIG = "$PROJECT/deno.json";
my $PORT = 9229; # the inspector's port inside a private network namespace
my @IP = ("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip");
my @UNSHARE = ("/usr/bin/unshare", "/bin/unshare");
my %KEYS = (
  probe => [],
  kernel => [qw(workspace learned heap-mb output-limit transport)],
  "rss-probe" => [],
  test => [qw(scratch read file heap-mb)],
  coverage => [qw(scratch read)],
  check => [qw(dir file)],
  lint => [qw(dir file)],
  doc => [qw(dir file)],
);

my ($MAIN, @TEMP) = ($$);
END { unlink @TEMP if $$ == $MAIN }

sub fail { print STDERR "sandbox launcher: $_[0]\n"; exit 2 }

my $job = shift(@ARGV) // fail("usage: launcher.pl <job> [--key=value ...]");
my $keys = $KEYS{$job} // fail("unknown job \"$job\" (one of: " . join(", ", sort keys %KEYS) . ")");
my (%opt, @files, %proven);
for my $arg (@ARGV) {
  $arg =~ /^--([a-z-]+)=(.*)$/s or fail("bad argument \"$arg\": expected --key=value");
  my ($k, $v) = ($1, $2);
  if ($k eq "grant") { prove($v); next }
  grep { $_ eq $k } @$keys or fail("job $job takes no --$k");
  if ($k eq "file") { push @files, $v; next }
  fail("--$k given twice") if exists $opt{$k};
  $opt{$k} = $v;
}
my $DENO = caller_deno();
%ENV = child_env();

if ($job eq "probe") { probe() }
elsif ($job eq "kernel") { kernel() }
elsif ($job eq "rss-probe") {
  exec_or_fail($DENO, "run", "-A", "--no-prompt", "--cached-only", "--no-config", "--no-lock",
    "$PROJECT/core/subprocess_rss_probe.ts");
}
elsif ($job eq "test") { test_job() }
elsif ($job eq "coverage") { coverage() }
else { static_check() }

# --- jobs ---

sub kernel {
  my $ws = granted(need("workspace"));
  my @read = ($ws);
  push @read, granted($opt{learned}) if defined $opt{learned};
  my $heap = int_opt("heap-mb", 16, 1 << 20);
  my $out = int_opt("output-limit", 1, 1 << 30);
  my $transport = need("transport");
  $transport =~ /^(netns|pipe)$/ or fail("--transport must be netns or pipe");
  my @deno = ($DENO, "run", "--no-prompt", "--cached-only", "--config=$CONFIG", "--frozen",
    "--v8-flags=--max-old-space-size=$heap");
  # netns: Deno's inspector on the namespace's own loopback; pipe: node:inspector in the
  # kernel, which needs sys to connect and revokes it before any cell runs.
  push @deno, $transport eq "netns" ? "--inspect=127.0.0.1:$PORT" : "--allow-sys";
  push @deno, "--allow-read=" . join(",", @read), "--allow-write=$ws", "--deny-import",
    "$PROJECT/core/kernel/inside/entry.ts", $out, $transport;
  chdir($ws) or fail("cannot enter $ws: $!");
  if ($transport eq "pipe") {
    watch_caller();
    exec_or_fail(@deno);
  }
  my ($unshare, $ip) = netns_tools() or fail("--transport=netns: no unshare or ip here");
  # The relay (core/sandbox/inspector_relay.pl) gets the original stdin and stdout (fds 3, 4: a
  # background job's stdin would be /dev/null); deno gets /dev/null and its stderr. `exec`
  # keeps this pid, so kill and the RSS watchdog reach the kernel itself.
  my $script = "\"\$1\" link set lo up || exit 97\nexec 3<&0 4>&1\n" .
    "\"\$2\" \"\$3\" \"\$4\" <&3 >&4 3<&- 4>&- &\nshift 4\nexec \"\$@\" </dev/null >&2 3<&- 4>&-";
  exec_or_fail($unshare, "--user", "--map-root-user", "--net", "/bin/sh", "-c", $script, "sh",
    $ip, $^X, "$PROJECT/core/sandbox/inspector_relay.pl", $PORT, @deno);
}

sub probe {
  my ($unshare, $ip) = netns_tools() or do { print "pipe no unshare or ip on this host\n"; exit 0 };
  my ($code, $said) = capture($unshare, "--user", "--map-root-user", "--net", "/bin/sh", "-c",
    "\"\$1\" link set lo up && \"\$2\" -e 1", "sh", $ip, $^X);
  if ($code == 0) { print "netns\n"; exit 0 }
  my ($why) = split /\n/, $said;
  print "pipe unshare --user --net: " . ($why // "exit $code") . "\n";
  exit 0;
}

sub test_job {
  my $scratch = granted(need("scratch"));
  my $read = granted(need("read"));
  my $ws = existing_dir("$scratch/workspace");
  @files == 1 or fail("job test takes one --file");
  my $file = clean_path($files[0]);
  -f $file && inside($file, $read) or fail("--file $file is not a file in $read");
  my $entry = "$PROJECT/core/evolution/sandbox_test_entry.ts";
  -f $entry or fail("no test entry at $entry");
  my $heap = int_opt("heap-mb", 16, 1 << 20);
  chdir($ws) or fail("cannot enter $ws: $!");
  watch_caller();
  exec_or_fail($DENO, "test", "--no-prompt", "--cached-only", "--config=$CONFIG", "--frozen",
    "--v8-flags=--max-old-space-size=$heap", "--allow-read=$ws,$read", "--allow-write=$ws",
    "--deny-import", "--no-check", "--junit-path=$scratch/junit.xml", "--coverage=$scratch/cov",
    $entry, "--", $file);
}

sub coverage {
  my $scratch = granted(need("scratch"));
  my $read = granted(need("read"));
  (my $re = $read) =~ s/([.^\$|?*+()\[\]{}\\])/\\$1/g;
  chdir($scratch) or fail("cannot enter $scratch: $!");
  exec_or_fail($DENO, "coverage", "--lcov", "--include=^file://$re/", "$scratch/cov");
}

sub static_check {
  my $dir = granted(need("dir"));
  @files or fail("job $job needs --file");
  my @rel = map { relative_file($dir, $_) } @files;
  chdir($dir) or fail("cannot enter $dir: $!");
  # The project's imports, compiler options and lint rules without its excludes (deno check and
  # lint skip an excluded file silently, and learned files live in excluded folders).
  my $cfg = "$dir/.sandbox-checks-$$.json";
  push @TEMP, $cfg;
  my $text = do { open(my $fh, "<", $CONFIG) or fail("cannot read $CONFIG: $!"); local $/; <$fh> };
  $text =~ s/"exclude"\s*:\s*\[[^\]]*\]\s*,?//g;
  open(my $out, ">", $cfg) or fail("cannot write $cfg: $!");
  print $out $text;
  close $out;
  my @base = ("--no-lock", "--config=$cfg");
  my $code;
  if ($job eq "lint") { $code = run_child($DENO, "lint", "--json", "--config=$cfg", @rel) }
  else {
    # deno check and deno doc read every module a file imports (static imports are not
    # permission-checked): those must all be ours before anything is printed.
    scan_imports($cfg, $dir, $_) for @rel;
    $code = $job eq "check"
      ? run_child($DENO, "check", "--cached-only", @base, @rel)
      : run_child($DENO, "doc", "--json", @base, @rel);
  }
  exit $code;
}

# --- the caller ---

sub caller_deno {
  my $ppid = getppid();
  my $exe = readlink("/proc/$ppid/exe");
  defined $exe && $exe =~ m{/deno$} or fail("must be started by deno (parent $ppid is " .
    ($exe // "unknown") . ")");
  return $exe;
}

# The caller's initial environment (what it was started with, not what it set since) gives the
# Deno cache; the child gets only that and NO_COLOR.
sub child_env {
  my %parent;
  if (open(my $fh, "<", "/proc/" . getppid() . "/environ")) {
    local $/;
    for (split /\0/, <$fh> // "") { $parent{$1} = $2 if /^([^=]+)=(.*)$/s }
  }
  my $home = $parent{HOME} // (getpwuid($<))[7] // "/";
  my $cache = $parent{DENO_DIR} ||
    ($parent{XDG_CACHE_HOME} ? "$parent{XDG_CACHE_HOME}/deno" : "$home/.cache/deno");
  return (NO_COLOR => "1", DENO_DIR => $cache, DENO_NO_UPDATE_CHECK => "1",
    PATH => "/usr/sbin:/usr/bin:/sbin:/bin");
}

# Pipe kernels and tests have no relay to notice a dead supervisor: a watcher kills them when
# it is gone (a kernel spinning in a cell would run on forever). It holds none of their pipes.
sub watch_caller {
  my ($child, $caller) = ($$, getppid());
  my $pid = fork();
  return if !defined $pid || $pid;
  open(STDIN, "<", "/dev/null");
  open(STDOUT, ">", "/dev/null");
  open(STDERR, ">", "/dev/null");
  while (1) {
    select(undef, undef, undef, 0.25);
    POSIX::_exit(0) if getppid() != $child; # the sandboxed process is gone
    unless (kill(0, $caller)) { kill("KILL", $child); POSIX::_exit(0) }
  }
}

# --- grants and paths ---

sub prove {
  my ($spec) = @_;
  $spec =~ /^(.+)=([0-9a-f]{16}):([0-9a-f]{32})$/s or fail("bad --grant (expected <dir>=<id>:<secret>)");
  my ($dir, $id, $secret) = ($1, $2, $3);
  $dir = existing_dir($dir);
  my $file = "$dir/.sandbox-grant-$id";
  sysopen(my $fh, $file, O_RDONLY | O_NOFOLLOW) or fail("no grant for $dir ($file: $!)");
  my @st = stat($fh);
  ($st[2] & 0170000) == 0100000 && $st[3] == 1 && $st[4] == $< && $st[7] == 32
    or fail("grant $file is not a plain file of ours");
  my $got = "";
  sysread($fh, $got, 32) == 32 && $got eq $secret or fail("grant $file does not match");
  close $fh;
  unlink($file) or fail("cannot consume grant $file: $!");
  $proven{$dir} = 1;
}

sub granted {
  my $dir = existing_dir($_[0]);
  $proven{$dir} or fail("$dir was not granted (its caller must prove it may write there)");
  return $dir;
}

# An absolute path with no ".", "..", "//", comma or control character, and no symlink in it.
sub clean_path {
  my ($p) = @_;
  $p =~ m{^/} && $p !~ m{(^|/)\.\.?(/|$)|//|,|[\x00-\x1f]} or fail("bad path \"$p\"");
  $p =~ s{(.)/$}{$1};
  my $real = realpath($p);
  defined $real && $real eq $p or fail("path \"$p\" is not its own real path (a link, or missing)");
  return $p;
}

sub existing_dir {
  my $p = clean_path($_[0]);
  -d $p or fail("\"$p\" is not a directory");
  return $p;
}

sub inside {
  my ($p, @dirs) = @_;
  @dirs = keys %proven unless @dirs;
  return grep { $p eq $_ || index($p, "$_/") == 0 } @dirs;
}

sub relative_file {
  my ($dir, $name) = @_;
  $name !~ m{^/|(^|/)\.\.?(/|$)|//|,|[\x00-\x1f]} or fail("bad file name \"$name\"");
  my $abs = clean_path("$dir/$name");
  -f $abs or fail("\"$abs\" is not a file");
  return $name;
}

sub need { $opt{$_[0]} // fail("job $job needs --$_[0]") }

sub int_opt {
  my ($k, $min, $max) = @_;
  my $v = need($k);
  $v =~ /^\d{1,10}$/ && $v >= $min && $v <= $max or fail("--$k must be an integer in $min..$max");
  return $v;
}

# Every local module `file` imports must be under a granted directory, the project or the cache.
# Fails closed: a graph that cannot be listed is not checked.
sub scan_imports {
  my ($cfg, $dir, $file) = @_;
  my $cache = $ENV{DENO_DIR};
  my ($code, $json) = capture($DENO, "info", "--json", "--no-remote", "--no-lock", "--config=$cfg", $file);
  if ($code != 0) {
    my ($why) = grep { /error/i } split /\n/, $json;
    fail("cannot list the imports of $file: " . ($why // "deno info exited $code"));
  }
  while ($json =~ /"(?:specifier|local)"\s*:\s*"(file:\/\/[^"]+|\/[^"]*)"/g) {
    my $path = $1;
    $path =~ s{^file://}{};
    $path =~ s/%([0-9A-Fa-f]{2})/chr(hex($1))/ge;
    next if inside($path, keys(%proven), $PROJECT, $cache);
    fail("$file imports $path, outside the sandbox's directories");
  }
}

# --- processes ---

sub netns_tools {
  my ($unshare) = grep { -x } @UNSHARE;
  my ($ip) = grep { -x } @IP;
  return $unshare && $ip ? ($unshare, $ip) : ();
}

# Runs a child that dies with us (PR_SET_PDEATHSIG): a caller's timeout kills this launcher.
sub run_child {
  my @cmd = @_;
  my $pid = fork() // fail("fork: $!");
  if ($pid == 0) {
    die_with_parent();
    { exec { $cmd[0] } @cmd; }
    POSIX::_exit(127);
  }
  waitpid($pid, 0);
  return $? & 127 ? 128 + ($? & 127) : $? >> 8;
}

# Runs a child (dying with us) and returns its exit code and output (stdout and stderr).
sub capture {
  my @cmd = @_;
  pipe(my $r, my $w) or fail("pipe: $!");
  my $pid = fork() // fail("fork: $!");
  if ($pid == 0) {
    close $r;
    open(STDOUT, ">&", $w);
    open(STDERR, ">&", $w);
    open(STDIN, "<", "/dev/null");
    die_with_parent();
    { exec { $cmd[0] } @cmd; }
    POSIX::_exit(127);
  }
  close $w;
  my $out = do { local $/; <$r> } // "";
  waitpid($pid, 0);
  return ($? >> 8, $out);
}

sub die_with_parent {
  my %prctl = (x86_64 => 157, aarch64 => 167); # PR_SET_PDEATHSIG (1), SIGKILL (9)
  my ($arch) = $Config{archname} =~ /^(\w+?)-/;
  syscall($prctl{$arch}, 1, 9) if $arch && $prctl{$arch};
}

sub exec_or_fail {
  my @cmd = @_;
  exec { $cmd[0] } @cmd or fail("cannot run $cmd[0]: $!");
}
