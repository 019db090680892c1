"""Shared fixtures for bantam's black-box tests.

Every test that takes the `bantam` fixture runs once per platform of scripts/platforms
(the build map): natively where the host runs the binary, else under the platform's
qemu-user. The programs bantam starts are host programs either way: an emulated execve
runs them natively. BANTAM_PLATFORMS="amd64 arm64" limits a run to those platforms.
A platform whose suite column says `core` runs only the tests named in CORE: every
platform is built from the same source, so these cover what an arch can get wrong (its
entry, system calls, signal numbers, time calls and process calls).
"""
import os
import platform
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import shutil

ROOT = Path(__file__).resolve().parents[1]
CHILD = str(ROOT / "tests" / "helpers" / "child.py")
HOST = platform.machine()


def read_platforms():
    """The build map: {name: (docker platform, Rust target, suite, qemu-user argv)}."""
    table = {}
    for line in (ROOT / "scripts" / "platforms").read_text().splitlines():
        words = line.split()
        if words and not words[0].startswith("#"):
            table[words[0]] = (*words[1:4], words[4:])
    return table


PLATFORMS = read_platforms()
ARCHES = os.environ.get("BANTAM_PLATFORMS", "").split() or list(PLATFORMS)
# Platforms the host runs without an emulator, by the host's machine name.
NATIVE = {"x86_64": {"amd64", "386"}, "aarch64": {"arm64"}}.get(HOST, set())
# What a `core` platform runs: exit codes, death by signal, forwarding, real-time signals,
# reaping, PATH search, usage errors, the drain and the grace window; and the terminal's
# foreground group (TIOCSPGRP is numbered differently on powerpc).
CORE = {
    "test_exit_codes_pass_through",
    "test_death_by_signal_is_128_plus_n",
    "test_exec_not_found_is_127",
    "test_path_search_skips_a_non_executable_match",
    "test_default_path_when_none_is_set",
    "test_sigterm_to_pid1_ends_a_default_child_with_143",
    "test_every_forwardable_signal_reaches_the_child",
    "test_group_forwarding_reaches_the_whole_process_group",
    "test_realtime_signals_are_forwarded_one_for_one",
    "test_two_thousand_orphans_are_reaped",
    "test_usage_errors_exit_2_with_one_line",
    "test_grace_kills_a_child_that_ignores_sigterm",
    "test_grace_ends_as_soon_as_the_child_exits",
    "test_drain_terminates_leftovers_and_keeps_the_main_exit_code",
    "test_drain_stops_waiting_when_nothing_is_left",
    "test_foreground_process_group_on_a_terminal",
    "test_zero_wakeups_while_idle_with_a_deadline_configured",
}
TIMEOUT = 30  # seconds; every process a test starts is bounded by this
# Absolute paths, so that tests may hand bantam an environment without PATH.
UNSHARE = shutil.which("unshare") or "unshare"
NAMESPACE = [UNSHARE, "--pid", "--fork", "--mount-proc"]


class Bantam:
    """One bantam binary and how to run it (as PID 1 of a new PID namespace by default)."""

    def __init__(self, arch, tmp_path):
        self.arch = arch
        self.path = ROOT / "dist" / f"bantam-{arch}"
        self.emulated = arch not in NATIVE
        qemu, *options = PLATFORMS[arch][3]
        self.qemu = qemu
        self.prefix = [] if not self.emulated else [shutil.which(qemu) or qemu, *options]
        self.tmp = tmp_path
        self.procs = []

    def command(self, *args, pid1=True, name=None):
        exe = str(self.path)
        if name is not None:
            link = self.tmp / name
            if not link.exists():
                link.symlink_to(self.path)
            exe = str(link)
        ns = NAMESPACE if pid1 else []
        return [*ns, *self.prefix, exe, *map(str, args)]

    def run(self, *args, pid1=True, name=None, timeout=TIMEOUT, **kw):
        kw.setdefault("capture_output", True)
        kw.setdefault("text", True)
        kw.setdefault("stdin", subprocess.DEVNULL)
        return subprocess.run(self.command(*args, pid1=pid1, name=name), timeout=timeout, **kw)

    def start(self, *args, pid1=True, name=None, **kw):
        kw.setdefault("stdout", subprocess.PIPE)
        kw.setdefault("stderr", subprocess.PIPE)
        kw.setdefault("stdin", subprocess.DEVNULL)
        kw.setdefault("text", True)
        proc = Running(self.command(*args, pid1=pid1, name=name), pid1, **kw)
        self.procs.append(proc)
        return proc

    def skip_if_emulated(self, why):
        if self.emulated:
            pytest.skip(f"under {self.qemu}: {why}")

    def cleanup(self):
        for proc in self.procs:
            proc.kill_tree()


class Running(subprocess.Popen):
    """A started bantam; `init_pid` is bantam's host pid (the child of unshare in PID-1 mode)."""

    def __init__(self, argv, pid1, **kw):
        super().__init__(argv, **kw)
        self.pid1 = pid1

    @property
    def init_pid(self):
        if not self.pid1:
            return self.pid
        with open(f"/proc/{self.pid}/task/{self.pid}/children") as f:
            return int(f.read().split()[0])

    def expect_line(self, expected=None):
        line = self.stdout.readline().rstrip("\n")
        if expected is not None:
            assert line == expected, f"wanted {expected!r}, got {line!r}"
        return line

    def signal_init(self, sig):
        os.kill(self.init_pid, sig)

    def finish(self, timeout=TIMEOUT):
        out, err = self.communicate(timeout=timeout)
        return self.returncode, out, err

    def kill_tree(self):
        if self.poll() is None:
            try:
                init = self.init_pid if self.pid1 else None
            except (OSError, IndexError, ValueError):
                init = None
            # Killing the namespace's init makes the kernel kill the whole namespace.
            for pid in (init, self.pid):
                if pid:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
            self.wait(timeout=TIMEOUT)


def pytest_collection_modifyitems(config, items):
    """Leaves out, on a `core` platform, the tests not in CORE."""
    keep, drop = [], []
    for item in items:
        arch = getattr(item, "callspec", None) and item.callspec.params.get("bantam")
        core_only = arch and PLATFORMS[arch][2] == "core"
        (drop if core_only and item.originalname not in CORE else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(params=ARCHES)
def bantam(request, tmp_path):
    b = Bantam(request.param, tmp_path)
    if not b.path.exists():
        pytest.fail(f"{b.path} is missing: run scripts/build first")
    yield b
    b.cleanup()


@pytest.fixture
def child():
    """The test child program, as argv words."""
    return [sys.executable, CHILD]


@pytest.fixture(scope="session")
def rebuild(tmp_path_factory):
    """A second build of everything, from a clean clone of the commit in another folder:
    scripts/build (every platform, the vm builds too) and scripts/release, as a user who
    clones the repository would run them. The clone, whose dist/ then holds the second
    binaries and release: the reproducibility tests compare them with ROOT's dist/."""
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                           capture_output=True, text=True, check=True, timeout=30).stdout
    if dirty:
        pytest.skip("uncommitted changes: a clean clone would build other sources")
    top = tmp_path_factory.mktemp("rebuild")
    clone = top / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=120)
    # The release names its source by the clone's origin: give the clone ROOT's.
    origin = subprocess.run(["git", "config", "--get", "remote.origin.url"], cwd=ROOT, capture_output=True,
                            text=True, timeout=30).stdout.strip()
    if origin:
        subprocess.run(["git", "remote", "set-url", "origin", origin], cwd=clone, check=True, timeout=30)
    else:
        subprocess.run(["git", "remote", "remove", "origin"], cwd=clone, check=True, timeout=30)
    env = dict(os.environ, CARGO_TARGET_DIR=str(top / "target"))
    for var in ("SOURCE_DATE_EPOCH", "BANTAM_DIST", "BANTAM_PLATFORMS"):
        env.pop(var, None)
    for step in ("build", "release"):
        r = subprocess.run([str(clone / "scripts" / step)], cwd=clone, env=env, capture_output=True, text=True,
                           timeout=1800)
        assert r.returncode == 0, f"scripts/{step} in the clone failed:\n{r.stdout[-2000:]}{r.stderr[-2000:]}"
    return clone
