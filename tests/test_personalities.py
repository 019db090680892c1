"""Personalities (SPEC §2): bantam run under a peer's name against the peer itself.

Each differential test runs one scenario under the Debian peer (/usr/bin/tini,
/usr/bin/dumb-init, /usr/bin/catatonit) and under bantam linked as that peer, both as PID 1
of a new PID namespace, and compares what a user can see. Differences kept on purpose are
asserted as such and listed in README.md ("Personalities").
"""
import json
import os
import pty
import select
import shutil
import signal
import subprocess
import time

import pytest

from conftest import NAMESPACE, TIMEOUT

PEERS = {"tini": "tini", "dumb-init": "dumb-init", "catatonit": "catatonit"}


def peer_path(name):
    path = shutil.which(name)
    if path is None:
        subprocess.run(["apt-get", "install", "-y", "-qq", name], capture_output=True, timeout=300)
        path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed and could not be")
    return path


class Side:
    """One init to compare: the peer, or bantam under the peer's name."""

    def __init__(self, bantam, name, peer):
        self.bantam, self.name, self.peer = bantam, name, peer

    def command(self, *args):
        if self.peer:
            return [*NAMESPACE, peer_path(self.name), *map(str, args)]
        return self.bantam.command(*args, name=self.name)

    def run(self, *args, **kw):
        kw.setdefault("capture_output", True)
        kw.setdefault("text", True)
        kw.setdefault("stdin", subprocess.DEVNULL)
        return subprocess.run(self.command(*args), timeout=TIMEOUT, **kw)

    def start(self, *args):
        proc = subprocess.Popen(self.command(*args), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        self.bantam.procs.append(_Tracked(proc))
        return proc


class _Tracked:
    def __init__(self, proc):
        self.proc = proc

    def kill_tree(self):
        if self.proc.poll() is None:
            init = init_pid(self.proc)
            for pid in (init, self.proc.pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, TypeError):
                    pass
            self.proc.wait(timeout=TIMEOUT)


def init_pid(proc):
    try:
        with open(f"/proc/{proc.pid}/task/{proc.pid}/children") as f:
            return int(f.read().split()[0])
    except (OSError, IndexError, ValueError):
        return None


def both(bantam, name):
    return Side(bantam, name, True), Side(bantam, name, False)


def child_layout(side, child, *opts):
    r = side.run(*opts, "--", *child, "layout")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


# --- exit codes -------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["tini", "dumb-init", "catatonit"])
@pytest.mark.parametrize("script", ["exit 0", "exit 3", "kill -TERM $$", "kill -USR1 $$"])
def test_exit_codes_match_the_peer(bantam, name, script):
    peer, ours = both(bantam, name)
    # `--` everywhere: tini's getopt would take the program's options as its own.
    assert ours.run("--", "sh", "-c", script).returncode == peer.run("--", "sh", "-c", script).returncode


@pytest.mark.parametrize("name", ["tini", "dumb-init", "catatonit"])
def test_exec_failures(bantam, name, tmp_path):
    peer, ours = both(bantam, name)
    for target in ["no-such-program-here", str(tmp_path)]:
        want, got = peer.run("--", target).returncode, ours.run("--", target).returncode
        if name == "catatonit":
            # Deliberate: catatonit exits 1, which a program's own exit 1 cannot be told
            # from; bantam keeps 127 (not found) and 126 (cannot execute).
            assert (want, got) == (1, 127 if target.startswith("no-") else 126)
        else:
            assert got == want, target


@pytest.mark.parametrize("name,args", [
    ("tini", []), ("tini", ["-x", "ls"]), ("tini", ["-e", "300", "ls"]),
    ("dumb-init", []), ("dumb-init", ["-x", "ls"]), ("dumb-init", ["-r", "15", "ls"]),
    ("catatonit", []), ("catatonit", ["-x", "ls"]),
])
def test_usage_errors_exit_as_the_peer(bantam, name, args):
    peer, ours = both(bantam, name)
    r = ours.run(*args)
    assert r.returncode == peer.run(*args).returncode == 1
    assert r.stderr.count("\n") == 1 and r.stdout == ""


@pytest.mark.parametrize("name,args,stream", [
    ("tini", ["--version"], "stdout"), ("tini", ["-h"], "stdout"), ("tini", ["-l"], "stdout"),
    ("dumb-init", ["-V"], "stderr"), ("dumb-init", ["--version"], "stderr"), ("dumb-init", ["-h"], "stderr"),
    ("catatonit", ["-V"], "stdout"), ("catatonit", ["-L"], "stdout"),
])
def test_version_help_and_license_exit_0_on_the_peers_stream(bantam, name, args, stream):
    peer, ours = both(bantam, name)
    want, got = peer.run(*args), ours.run(*args)
    assert got.returncode == want.returncode == 0
    assert getattr(got, stream) != "" and getattr(want, stream) != ""


def test_tini_version_passes_dockers_parser(bantam):
    out = Side(bantam, "tini", False).run("--version").stdout.strip()
    first, _, second = out.partition(" - ")
    assert first.startswith("tini version ")
    assert second.startswith("git.") and second[4:] and " " not in second and "." not in second[4:]
    for name in ["docker-init", "tini-static"]:
        assert Side(bantam, name, False).run("--version").stdout.strip() == out


# --- process layout and signal state ------------------------------------------------------

@pytest.mark.parametrize("name,opts", [("tini", []), ("tini", ["-g"]), ("dumb-init", []),
                                       ("dumb-init", ["-c"]), ("catatonit", [])])
def test_process_layout_and_signal_state_match_the_peer(bantam, child, name, opts, tmp_path):
    peer, ours = both(bantam, name)
    want = child_layout(peer, child, *opts)
    got = child_layout(ours, child, *opts)
    for side in (want, got):
        side["leader"] = side["pid"] == side["pgid"]
        side["session"] = side["pid"] == side["sid"]
    for key in ["leader", "session", "blk", "ign", "cwd"]:
        if (name, key) == ("catatonit", "blk"):
            # Deliberate: catatonit leaves SIGTSTP/TTIN/TTOU blocked in its child; bantam
            # gives the child the caller's mask.
            assert got[key] == "0000000000000000"
            continue
        assert got[key] == want[key], key
    if name == "dumb-init" and not opts:
        assert got["session"]
    elif name != "dumb-init":
        assert got["leader"]


# --- forwarding ---------------------------------------------------------------------------

def forwarded(side, child, sends, count, opts=()):
    p = side.start(*opts, "--", *child, "signals", count)
    assert p.stdout.readline() == "ready\n"
    for sig in sends:
        os.kill(init_pid(p), sig)
    got = [int(p.stdout.readline()) for _ in range(count)]
    os.kill(init_pid(p), signal.SIGKILL)
    p.wait(timeout=TIMEOUT)
    return got


@pytest.mark.parametrize("name,opts,sends,count", [
    ("tini", [], [signal.SIGUSR1, signal.SIGHUP, signal.SIGWINCH], 3),
    ("tini", [], [signal.SIGTTIN, signal.SIGTTOU, signal.SIGUSR2], 1),  # TTIN/TTOU ignored
    ("dumb-init", [], [signal.SIGUSR1, signal.SIGHUP, signal.SIGCONT], 3),
    ("dumb-init", [], [signal.SIGSEGV, signal.SIGABRT, signal.SIGSYS], 3),  # faults by kill
    ("dumb-init", ["-r", "10:12", "-r", "1:0"], [signal.SIGHUP, signal.SIGUSR1], 1),
    ("dumb-init", ["-c"], [signal.SIGUSR1, signal.SIGINT], 2),
    ("catatonit", [], [signal.SIGUSR1, signal.SIGHUP], 2),
])
def test_what_the_child_receives_matches_the_peer(bantam, child, name, opts, sends, count):
    peer, ours = both(bantam, name)
    # Pending signals are dequeued lowest first, whatever the order they were sent in.
    assert sorted(forwarded(ours, child, sends, count, opts)) == sorted(forwarded(peer, child, sends, count, opts))


def test_dumb_init_stops_the_group_on_job_control_signals(bantam, child):
    for side in both(bantam, "dumb-init"):
        p = side.start("--", *child, "signals", 1)
        assert p.stdout.readline() == "ready\n"
        init = init_pid(p)
        kid = int(open(f"/proc/{init}/task/{init}/children").read().split()[0])
        os.kill(init, signal.SIGTSTP)
        deadline = time.monotonic() + 10
        while open(f"/proc/{kid}/stat").read().rsplit(")", 1)[1].split()[0] != "T":
            assert time.monotonic() < deadline, side.peer
            time.sleep(0.01)
        os.kill(init, signal.SIGCONT)
        assert p.stdout.readline() == "18\n"  # SIGCONT forwarded to the resumed child
        p.wait(timeout=TIMEOUT)


@pytest.mark.parametrize("name", ["tini", "dumb-init", "catatonit"])
def test_sigterm_gives_143_as_the_peer(bantam, name):
    codes = []
    for side in both(bantam, name):
        p = side.start("--", "sh", "-c", "echo ready; exec sleep 1000")
        assert p.stdout.readline() == "ready\n"
        os.kill(init_pid(p), signal.SIGTERM)
        codes.append(p.wait(timeout=TIMEOUT))
    assert codes == [143, 143]


# --- pause modes -----------------------------------------------------------------------

def wait_blocked(p):
    """Bounded wait until the init (a pause mode prints nothing to synchronise on) sleeps in
    rt_sigtimedwait: it has blocked its signals, so one sent now is collected. (SigBlk in
    /proc cannot tell: while the call waits, the kernel shows the waited signals as
    unblocked.)"""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        pid = init_pid(p)
        try:
            with open(f"/proc/{pid}/wchan") as f:
                if pid and f.read().startswith("do_sigtimedwait"):
                    return
        except OSError:
            pass
        time.sleep(0.005)
    raise AssertionError("the init never waited for signals")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
@pytest.mark.parametrize("name,args", [("pause", []), ("catatonit", ["-P"]), ("podman-init", ["-P"])])
def test_pause_modes_exit_0_on_term_and_int(bantam, name, args, sig):
    p = bantam.start(*args, name=name)
    wait_blocked(p)
    p.signal_init(sig)
    code, out, err = p.finish()
    assert (code, out, err) == (0, "", "")


@pytest.mark.parametrize("name,args", [("pause", []), ("catatonit", ["-P"])])
def test_pause_modes_exit_0_when_term_and_int_were_ignored(bantam, name, args):
    bantam.skip_if_emulated("qemu-user drops SIG_IGN across execve")
    for sig in (signal.SIGTERM, signal.SIGINT):
        p = subprocess.Popen(bantam.command(*args, name=name), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, preexec_fn=lambda: [signal.signal(s, signal.SIG_IGN)
                                                            for s in (signal.SIGTERM, signal.SIGINT)])
        bantam.procs.append(_Tracked(p))
        wait_blocked(p)
        os.kill(init_pid(p), sig)
        assert p.wait(timeout=TIMEOUT) == 0


def test_pause_version(bantam):
    for arg in ["-v", "-V"]:
        r = bantam.run("x", arg, name="pause")
        assert r.returncode == 0 and r.stdout.count("\n") == 1


def test_podman_init_runs_ls_quietly(bantam):
    r = bantam.run("--", "ls", "/", name="podman-init")
    assert (r.returncode, r.stderr) == (0, "")
    r = Side(bantam, "catatonit", True).run("--", "ls", "/")
    assert (r.returncode, r.stderr) == (0, "")


# --- terminal ---------------------------------------------------------------------------

class InteractiveShell:
    """`argv sh -i` on a new pseudo-terminal, and what it has printed so far."""

    def __init__(self, argv):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.environ["PS1"] = "$ "
            os.execvp(argv[0], [*argv, "sh", "-i"])
        self.out = b""

    def read_until(self, marker):
        """Bounded wait until the terminal has shown `marker` (or the shell is gone)."""
        deadline = time.monotonic() + TIMEOUT
        while marker not in self.out:
            left = deadline - time.monotonic()
            assert left > 0, self.out
            if select.select([self.fd], [], [], left)[0]:
                try:
                    self.out += os.read(self.fd, 4096)
                except OSError:
                    break

    def start_foreground_job(self):
        """Starts a job in the shell's foreground and waits until it runs."""
        os.write(self.fd, b"sh -c 'echo st''arted; exec sleep 100'\n")
        self.read_until(b"started")


def interactive_ctrl_c(argv):
    """Runs `argv sh -i` on a new pseudo-terminal; starts a foreground job, types Ctrl-C,
    and returns the job's status as the shell saw it and the init's exit code."""
    sh = InteractiveShell(argv)
    pid, fd, read_until = sh.pid, sh.fd, sh.read_until

    try:
        sh.start_foreground_job()
        os.write(fd, b"\x03")
        read_until(b"^C")
        os.write(fd, b"echo r''c=$?\n")
        read_until(b"rc=")
        read_until(b"$ ")
        os.write(fd, b"exit 7\n")
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(fd)
    out = sh.out
    rc = out.split(b"rc=")[1].split()[0].decode()
    return rc, os.waitstatus_to_exitcode(status), b"job control turned off" not in out and b"no job control" not in out


@pytest.mark.parametrize("name", ["tini", "dumb-init"])
def test_interactive_shell_gets_ctrl_c(bantam, name):
    bantam.skip_if_emulated("not needed twice: the terminal handling is the same code")
    link = bantam.tmp / name
    if not link.exists():
        link.symlink_to(bantam.path)
    got = interactive_ctrl_c([str(link)])
    # Job control on; Ctrl-C ends the foreground job (130); the shell goes on and exits 7.
    assert got == ("130", 7, True)
    # Debian's tini needs `--` here: built with glibc, it takes options after the program
    # name too, and refuses sh's `-i` as its own (README, Personalities).
    assert got == interactive_ctrl_c([peer_path(name), *(["--"] if name == "tini" else [])])


# --- not PID 1 --------------------------------------------------------------------------

def direct(side, *args):
    """argv running the side's init directly (not PID 1 of a new namespace)."""
    if side.peer:
        return [peer_path(side.name), *map(str, args)]
    return side.bantam.command(*args, pid1=False, name=side.name)


def wait_for_file(directory, *names):
    """Bounded wait until one of the files exists; returns the names that do."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        there = [n for n in names if (directory / n).exists()]
        if there or time.monotonic() > deadline:
            return there
        time.sleep(0.01)


@pytest.mark.parametrize("opts,want", [([], ["term"]), (["-c"], ["probe"])])
def test_dumb_init_terms_what_is_left_of_the_session(bantam, child, tmp_path, opts, want):
    for side in both(bantam, "dumb-init"):
        d = tmp_path / ("peer" if side.peer else "ours")
        d.mkdir()
        leftover = None
        try:
            # The init's own session, so that `-c` (no setsid) leaves pytest's group alone.
            r = subprocess.run(direct(side, *opts, "--", *child, "leftover", d), stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=TIMEOUT,
                               start_new_session=True)
            assert r.returncode == 0, side.peer
            leftover = int((d / "pid").read_text())
            # A SIGTERM sent before the init exited is pending now, and is delivered before
            # SIGWINCH (lower numbers first): `probe` means no SIGTERM came.
            try:
                os.kill(leftover, signal.SIGWINCH)
            except ProcessLookupError:
                pass  # the SIGTERM already ended it
            assert wait_for_file(d, "term", "probe") == want, side.peer
        finally:
            if leftover is not None:
                try:
                    os.kill(leftover, signal.SIGKILL)
                except ProcessLookupError:
                    pass


def read_lines(fd, count):
    """The next `count` lines from a pty master (bounded wait)."""
    out = b""
    deadline = time.monotonic() + TIMEOUT
    while out.count(b"\n") < count:
        left = deadline - time.monotonic()
        assert left > 0, out
        if select.select([fd], [], [], left)[0]:
            out += os.read(fd, 4096)
    return out.decode().replace("\r", "").split("\n")[:count]


def test_dumb_init_does_not_forward_the_terminal_hand_off(bantam, child):
    # The hand-off signals only come when the init leads the session that owns the
    # terminal, so the init runs directly (not PID 1) as that session leader.
    import fcntl
    import termios
    for side in both(bantam, "dumb-init"):
        master, slave = os.openpty()

        def own_terminal():
            os.setsid()
            fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

        try:
            p = subprocess.Popen(direct(side, "--", *child, "signals", 1), stdin=slave, stdout=slave,
                                 stderr=subprocess.DEVNULL, preexec_fn=own_terminal)
            bantam.procs.append(_Tracked(p))
            os.close(slave)
            assert read_lines(master, 1) == ["ready"], side.peer
            os.kill(p.pid, signal.SIGUSR1)
            assert read_lines(master, 1) == ["10"], side.peer  # not SIGHUP (1) nor SIGCONT (18)
            assert p.wait(timeout=TIMEOUT) == 0
        finally:
            os.close(master)


# --- tini options -----------------------------------------------------------------------

def test_tini_e_remaps_an_exit_code_to_0(bantam):
    for side in both(bantam, "tini"):
        assert side.run("-e", "3", "--", "sh", "-c", "exit 3").returncode == 0, side.peer
        assert side.run("-e", "3", "--", "sh", "-c", "exit 4").returncode == 4, side.peer


def test_tini_p_parent_death_signal_reaches_the_child(bantam, child):
    for side in both(bantam, "tini"):
        p = side.start("-p", "SIGUSR1", "--", *child, "signals", 1)
        assert p.stdout.readline() == "ready\n"
        os.kill(p.pid, signal.SIGKILL)  # the init's parent (unshare) dies
        assert p.stdout.readline() == "10\n", side.peer
        p.wait(timeout=TIMEOUT)


def test_tini_w_warns_when_an_orphan_is_reaped(bantam, child):
    for side in both(bantam, "tini"):
        quiet = side.run("--", *child, "orphans", 1)
        loud = side.run("-w", "--", *child, "orphans", 1)
        assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "0\n", ""), side.peer
        assert (loud.returncode, loud.stdout) == (0, "0\n"), side.peer
        assert loud.stderr != "", side.peer


def test_tini_kill_process_group_even_when_empty(bantam, child):
    results = []
    for side in both(bantam, "tini"):
        p = subprocess.Popen(side.command("--", *child, "family"), stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=dict(os.environ, TINI_KILL_PROCESS_GROUP=""))
        bantam.procs.append(_Tracked(p))
        assert p.stdout.readline() == "ready\n"
        os.kill(init_pid(p), signal.SIGUSR1)
        results.append(sorted([p.stdout.readline(), p.stdout.readline()]))
        assert p.wait(timeout=TIMEOUT) == 0
    assert results[0] == results[1] == ["child 10\n", "grandchild 10\n"]


# --- catatonit --------------------------------------------------------------------------

def test_catatonit_is_a_subreaper_when_not_pid_1(bantam, child):
    bantam.skip_if_emulated("qemu-user refuses PR_SET_CHILD_SUBREAPER")
    for side in both(bantam, "catatonit"):
        p = subprocess.Popen(direct(side, "--", *child, "grandparent"), stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        bantam.procs.append(_Tracked(p))
        out, err = p.communicate(timeout=TIMEOUT)
        assert (p.returncode, out) == (0, f"{p.pid}\n"), (side.peer, err)


def interactive_ctrl_z(argv):
    """Runs `argv sh -i` on a new pseudo-terminal; starts a foreground job, types Ctrl-Z,
    and returns the job's status as the shell saw it, whether `jobs` lists it stopped, and
    the init's exit code."""
    sh = InteractiveShell(argv)
    pid, fd, read_until = sh.pid, sh.fd, sh.read_until

    try:
        sh.start_foreground_job()
        os.write(fd, b"\x1a")
        os.write(fd, b"echo r''c=$?; jobs; echo jo''bs-done\n")
        read_until(b"jobs-done")
        # dash refuses the first `exit` while it still counts a stopped job, even a killed one.
        os.write(fd, b"kill -9 %1; exit 7\n")
        read_until(b"stopped jobs")  # returns early if the shell exited after all
        try:
            os.write(fd, b"exit 7\n")
        except OSError:
            pass
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(fd)
    out = sh.out
    rc = out.split(b"rc=")[1].split()[0].decode()
    listing = out.split(b"rc=")[1].split(b"jobs-done")[0]
    return rc, b"Stopped" in listing, os.waitstatus_to_exitcode(status)


@pytest.mark.parametrize("name", ["tini", "dumb-init"])
def test_interactive_shell_gets_ctrl_z(bantam, name):
    bantam.skip_if_emulated("not needed twice: the terminal handling is the same code")
    link = bantam.tmp / name
    if not link.exists():
        link.symlink_to(bantam.path)
    got = interactive_ctrl_z([str(link)])
    # Ctrl-Z stops the foreground job (148 = 128 + SIGTSTP), `jobs` lists it as stopped,
    # and the shell goes on and exits 7.
    assert got == ("148", True, 7)
    assert got == interactive_ctrl_z([peer_path(name), *(["--"] if name == "tini" else [])])


def test_tini_takes_no_options_after_the_program_name(bantam):
    # Debian's tini (glibc getopt) permutes argv: `tini sh -c CMD -i` is a usage error
    # there (`invalid option -- 'i'`, exit 1). bantam stops at the program name, as tini's
    # documented `tini -- PROGRAM` form and the other peers do.
    peer = subprocess.run([peer_path("tini"), "sh", "-c", "exit 3", "-i"], capture_output=True, text=True,
                          timeout=TIMEOUT)
    assert peer.returncode == 1 and "invalid option" in peer.stderr
    assert bantam.run("sh", "-c", "exit 3", "-i", name="tini").returncode == 3
