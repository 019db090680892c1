"""Graceful shutdown (SPEC §5): the grace window and the namespace drain."""
import os
import signal
import time

import pytest
from test_core import _wait_blocked

IGNORES_TERM = ["sh", "-c", "trap '' TERM INT QUIT; echo ready; exec sleep 1000"]
QUITS_ON_TERM = ["sh", "-c", "echo ready; exec sleep 1000"]


def test_grace_kills_a_child_that_ignores_sigterm(bantam):
    p = bantam.start("--grace", "1s", *IGNORES_TERM)
    p.expect_line("ready")
    sent = time.monotonic()
    p.signal_init(signal.SIGTERM)
    code, _, err = p.finish()
    took = time.monotonic() - sent
    assert code == 137, err
    assert 0.9 <= took < 10, took


def test_without_grace_bantam_never_kills_the_child(bantam):
    app = "trap '' TERM; trap 'echo usr1; exit 0' USR1; echo ready; while :; do sleep 1000 & wait $!; done"
    p = bantam.start("sh", "-c", app)
    p.expect_line("ready")
    p.signal_init(signal.SIGTERM)  # ignored by the child, and not escalated by bantam
    time.sleep(1.5)  # a window in which a grace kill would have happened
    p.signal_init(signal.SIGUSR1)
    assert p.expect_line() == "usr1"  # still alive to take it
    assert p.finish()[0] == 0


def test_grace_ends_as_soon_as_the_child_exits(bantam):
    p = bantam.start("--grace", "30s", *QUITS_ON_TERM)
    p.expect_line("ready")
    sent = time.monotonic()
    p.signal_init(signal.SIGTERM)
    code, _, _ = p.finish()
    assert code == 143
    assert time.monotonic() - sent < 5  # nowhere near the 30 s window


def test_grace_from_the_environment(bantam):
    p = bantam.start(*IGNORES_TERM, env=dict(os.environ, BANTAM_GRACE="500ms"))
    p.expect_line("ready")
    p.signal_init(signal.SIGINT)
    assert p.finish()[0] == 137


def test_sighup_does_not_arm_the_grace_window(bantam, child):
    p = bantam.start("--grace", "300ms", *child, "signals", 2)
    p.expect_line("ready")
    p.signal_init(signal.SIGHUP)  # a reload request, not a stop
    p.expect_line("1")
    time.sleep(0.8)  # longer than the window
    p.signal_init(signal.SIGUSR1)
    p.expect_line("10")
    assert p.finish()[0] == 0


def test_drain_terminates_leftovers_and_keeps_the_main_exit_code(bantam, child, tmp_path):
    started = time.monotonic()
    p = bantam.start("--drain", "--grace", "1s", *child, "daemons", tmp_path, "gi")
    p.expect_line("ready")
    code, _, err = p.finish()
    took = time.monotonic() - started
    assert code == 3, err  # the main child's code, not the drained daemons'
    assert (tmp_path / "clean-0").read_text() == "clean\n"  # got SIGTERM and could finish
    assert 0.9 <= took < 10, took  # the ignoring daemon is SIGKILLed when the window ends


def test_drain_stops_waiting_when_nothing_is_left(bantam, child, tmp_path):
    started = time.monotonic()
    p = bantam.start("--drain", "--grace", "30s", *child, "daemons", tmp_path, "gg")
    p.expect_line("ready")
    code, _, err = p.finish()
    assert code == 3, err
    assert sorted(os.listdir(tmp_path)) == ["clean-0", "clean-1"]
    assert time.monotonic() - started < 10  # not the 30 s window


def test_drain_from_the_environment_with_the_default_window(bantam, child, tmp_path):
    p = bantam.start(*child, "daemons", tmp_path, "g", env=dict(os.environ, BANTAM_DRAIN="1"))
    p.expect_line("ready")
    assert p.finish()[0] == 3
    assert (tmp_path / "clean-0").exists()


def test_without_drain_leftovers_get_no_sigterm(bantam, child, tmp_path):
    p = bantam.start(*child, "daemons", tmp_path, "g")
    p.expect_line("ready")
    assert p.finish()[0] == 3
    assert not (tmp_path / "clean-0").exists()  # killed outright with the namespace


def test_sigterm_during_the_drain_does_not_extend_it(bantam, child, tmp_path):
    started = time.monotonic()
    p = bantam.start("--drain", "--grace", "1s", "-vvv", *child, "daemons", tmp_path, "i")
    p.expect_line("ready")
    time.sleep(0.5)  # inside the window
    p.signal_init(signal.SIGTERM)
    code, _, err = p.finish()
    assert code == 3, err
    assert time.monotonic() - started < 3


def test_drain_as_a_subreaper(bantam, child, tmp_path):
    bantam.skip_if_emulated("qemu-user refuses PR_SET_CHILD_SUBREAPER, so orphans never come back")
    p = bantam.start("--drain", "--grace", "30s", *child, "daemons", tmp_path, "GG", pid1=False)
    p.expect_line("ready")
    code, _, err = p.finish()
    assert code == 3, err
    assert sorted(os.listdir(tmp_path)) == ["clean-0", "clean-1"]


@pytest.mark.parametrize("opts", [["--grace", "5s"], ["--drain", "--grace", "5s"]])
def test_zero_wakeups_while_idle_with_a_deadline_configured(bantam, opts):
    p = bantam.start(*opts, "sh", "-c", "echo ready; exec sleep 1000")
    p.expect_line("ready")
    init = p.init_pid
    # Counted from its first wait on: "ready" comes from the child, and bantam (slower under
    # an emulator) may not have reached the wait yet.
    _wait_blocked(p)
    before = _switches(init)
    time.sleep(1.5)  # the measurement window itself
    assert _switches(init) - before == 0
    p.kill_tree()


def _switches(pid):
    with open(f"/proc/{pid}/task/{pid}/status") as f:
        fields = dict(line.split(":\t") for line in f.read().splitlines() if ":\t" in line)
    return int(fields["voluntary_ctxt_switches"]) + int(fields["nonvoluntary_ctxt_switches"])


@pytest.mark.parametrize("name", ["tini", "catatonit"])
def test_peer_names_drain_only_when_asked_through_bantam_variables(bantam, child, tmp_path, name):
    # Under a peer's name bantam keeps the peer's behaviour (no drain) unless BANTAM_DRAIN
    # or BANTAM_GRACE ask for more.
    plain, drained = tmp_path / "plain", tmp_path / "drained"
    plain.mkdir()
    drained.mkdir()
    p = bantam.start("--", *child, "daemons", plain, "g", name=name)
    p.expect_line("ready")
    assert p.finish()[0] == 3
    assert not (plain / "clean-0").exists()
    env = dict(os.environ, BANTAM_DRAIN="1", BANTAM_GRACE="30s")
    p = bantam.start("--", *child, "daemons", drained, "g", name=name, env=env)
    p.expect_line("ready")
    assert p.finish()[0] == 3
    assert (drained / "clean-0").read_text() == "clean\n"
