#!/usr/bin/env python3
"""The program bantam runs in the integration tests: it reports what it sees on stdout.

Each mode prints `ready` once it is set up, so a test can act without sleeping.
  signals N        block every catchable signal, print each of the next N signals' numbers
  family [setsid]  start a grandchild (in a new session with `setsid`); both print
                   `child N` / `grandchild N` for the next signal they get
  orphans N        leave N orphans behind, wait until none is left alive or a zombie,
                   then print the count of zombies seen at the end (0 when reaped)
  burst N          as `orphans`, but the N orphans block on one pipe and all exit at once
                   when it is closed, so that their SIGCHLDs coalesce
  report           print argv, environment, cwd and stdin as JSON
  layout           print pid, process group, session, SigBlk and SigIgn as JSON
  tty              print whether this process group is the terminal's foreground group
  grandparent      print the pid that adopts an orphaned grandchild of this process
  daemons DIR KINDS  leave one orphaned daemon per letter of KINDS behind, then exit 3:
                   `g` (good) writes DIR/clean-N and exits on SIGTERM, `i` ignores SIGTERM;
                   in their own sessions; upper case (`G`, `I`) stay in our process group
  leftover DIR     leave a process in our process group behind, then exit 0: it writes its
                   pid to DIR/pid, then DIR/term on SIGTERM or DIR/probe on SIGWINCH (the
                   first one pending), and exits (or exits by itself after 60 s)
"""
import json
import os
import signal
import sys
import time

CATCHABLE = set(range(1, signal.SIGRTMAX + 1)) - {signal.SIGKILL, signal.SIGSTOP, 32, 33}


def say(*words):
    # One write per line: several processes share this pipe, and a write of less than
    # PIPE_BUF bytes is never interleaved with another.
    sys.stdout.flush()
    os.write(1, (" ".join(map(str, words)) + "\n").encode())


def wait_signals(count, label=None):
    signal.pthread_sigmask(signal.SIG_BLOCK, CATCHABLE)
    for _ in range(count):
        info = signal.sigwaitinfo(CATCHABLE)
        say(*(w for w in (label, info.si_signo) if w is not None))


def signals(count):
    signal.pthread_sigmask(signal.SIG_BLOCK, CATCHABLE)
    say("ready")
    wait_signals(int(count))


def family(setsid=None):
    signal.pthread_sigmask(signal.SIG_BLOCK, CATCHABLE)
    ready_r, ready_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        if setsid:
            os.setsid()
        os.close(ready_w)  # closing our copy tells the parent we are set up
        wait_signals(1, "grandchild")
        os._exit(0)
    os.close(ready_w)
    os.read(ready_r, 1)  # EOF once the grandchild closed its end
    say("ready")
    wait_signals(1, "child")
    os.waitpid(pid, 0)


def zombies():
    """Pids of zombie processes visible in /proc, other than our own children."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    stat = f.read()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if fields[0] == "Z":
                found.append(int(entry))
    return found


def others():
    """Processes other than PID 1 and this one, as /proc shows them."""
    me = os.getpid()
    return [int(e) for e in os.listdir("/proc") if e.isdigit() and int(e) not in (1, me)]


def orphans(count):
    for _ in range(int(count)):
        pid = os.fork()
        if pid == 0:
            if os.fork() == 0:
                os._exit(0)
            os._exit(0)  # the grandchild is now an orphan, adopted by PID 1
        os.waitpid(pid, 0)
    # Reaping is asynchronous: give PID 1 a bounded time to reap what is left.
    deadline = time.monotonic() + 20
    while (others() or zombies()) and time.monotonic() < deadline:
        time.sleep(0.01)
    say(len(zombies()))


def burst(count):
    go_r, go_w = os.pipe()
    ready_r, ready_w = os.pipe()
    if os.fork() == 0:
        os.close(go_w)
        os.close(ready_r)
        for _ in range(int(count)):
            if os.fork() == 0:
                os.close(ready_w)
                os.read(go_r, 1)  # EOF when the pipe is closed: all of them at once
                os._exit(0)
        os._exit(0)  # the grandchildren are now orphans, adopted by PID 1
    os.close(go_r)
    os.close(ready_w)
    os.read(ready_r, 1)  # EOF once every grandchild exists (each closed its copy)
    os.wait()
    os.close(go_w)
    deadline = time.monotonic() + 20
    while (others() or zombies()) and time.monotonic() < deadline:
        time.sleep(0.01)
    say(len(zombies()))


def report(*_):
    say(json.dumps({
        "argv": [os.fsdecode(a) for a in sys.argv[2:]],
        "env": dict(os.environ),
        "cwd": os.getcwd(),
        "stdin": sys.stdin.read(),
    }))


def layout():
    with open("/proc/self/status") as f:
        status = dict(line.rstrip("\n").split(":\t", 1) for line in f if ":\t" in line)
    say(json.dumps({"pid": os.getpid(), "pgid": os.getpgrp(), "sid": os.getsid(0),
                    "blk": status["SigBlk"], "ign": status["SigIgn"], "cwd": os.getcwd()}))


def tty():
    say(os.tcgetpgrp(0) == os.getpgrp())


def grandparent():
    done_r, done_w = os.pipe()
    if os.fork() == 0:
        os.close(done_r)
        parent_r, parent_w = os.pipe()
        parent = os.getpid()
        if os.fork() == 0:
            os.close(parent_w)
            os.read(parent_r, 1)  # EOF: our parent is exiting
            # The exit closes the files before it reparents the children: the new parent
            # shows a moment later (bounded wait).
            deadline = time.monotonic() + 20
            while os.getppid() == parent and time.monotonic() < deadline:
                time.sleep(0.001)
            say(os.getppid())
            os._exit(0)
        os._exit(0)
    os.close(done_w)
    os.wait()
    os.read(done_r, 1)  # EOF once the grandchild has reported and exited


def daemons(directory, kinds="gi"):
    ready_r, ready_w = os.pipe()
    for n, kind in enumerate(kinds):
        if os.fork() == 0:
            os.close(ready_r)
            if os.fork() != 0:
                os._exit(0)  # the daemon below is orphaned at once
            if kind.islower():
                os.setsid()

            def clean_exit(*_):
                with open(os.path.join(directory, f"clean-{n}"), "w") as f:
                    f.write("clean\n")
                os._exit(0)

            signal.pthread_sigmask(signal.SIG_SETMASK, [])
            signal.signal(signal.SIGTERM, clean_exit if kind in "gG" else signal.SIG_IGN)
            os.close(ready_w)  # set up: the parent may go
            while True:
                signal.pause()
        os.wait()
    os.close(ready_w)
    os.read(ready_r, 1)  # EOF once every daemon has closed its end
    say("ready")
    sys.exit(3)


def leftover(directory):
    ready_r, ready_w = os.pipe()
    if os.fork() == 0:
        os.close(ready_r)
        # sigtimedwait, not handlers: the kernel hands over the lowest pending signal first,
        # where a Python handler could be interrupted by the next one's.
        waited = {signal.SIGTERM, signal.SIGWINCH}
        signal.pthread_sigmask(signal.SIG_SETMASK, waited)
        with open(os.path.join(directory, "pid"), "w") as f:
            f.write(f"{os.getpid()}\n")
        os.close(ready_w)  # set up: the parent may go
        info = signal.sigtimedwait(waited, 60)
        if info is not None:
            name = "term" if info.si_signo == signal.SIGTERM else "probe"
            with open(os.path.join(directory, name), "w") as f:
                f.write(name + "\n")
        os._exit(0)
    os.close(ready_w)
    os.read(ready_r, 1)  # EOF once the leftover is set up
    say("ready")


if __name__ == "__main__":
    {"signals": signals, "family": family, "orphans": orphans, "burst": burst, "report": report,
     "tty": tty, "layout": layout, "grandparent": grandparent, "daemons": daemons,
     "leftover": leftover}[sys.argv[1]](*sys.argv[2:])
