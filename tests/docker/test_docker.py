"""bantam in real Docker containers (FROM scratch images, nothing pulled)."""
import os

import pytest

from conftest import TIMINGS, make_rootfs

# A shell app that reports the signals it traps; the `wait` returns early on each one.
TRAP_APP = ("trap 'echo got USR1' USR1; trap 'echo got HUP' HUP; echo ready; "
            "while :; do sleep 1000 & wait $!; done")


def test_docker_stop_is_prompt_with_bantam(docker, app_image):
    cid = docker.run(app_image, "sh", "-c", "echo ready; sleep 1000")
    docker.wait_for_log(cid, "ready")
    took = docker.stop_timed(cid)
    TIMINGS.append(f"docker stop, bantam as entrypoint: {took:.3f} s")
    assert docker.inspect(cid, "{{.State.ExitCode}}") == "143"
    assert took < 5  # far inside the 10 s stop timeout: the app got SIGTERM at once


def test_docker_stop_without_an_init_waits_for_the_timeout(docker, app_image):
    # For contrast: the same app as PID 1 itself.
    docker.check_stop_without_an_init(
        docker.run(app_image, "-c", "echo ready; sleep 1000", opts=["--entrypoint", "/bin/sh"]))


@pytest.mark.parametrize("cmd, code", [
    (["sh", "-c", "exit 0"], 0),
    (["sh", "-c", "exit 3"], 3),
    (["sh", "-c", "kill -KILL $$"], 137),
    (["/segv"], 139),
    (["/no/such/program"], 127),
])
def test_exit_codes(docker, app_image, cmd, code):
    cid = docker.run(app_image, *cmd)
    assert docker.wait(cid) == code
    assert docker.inspect(cid, "{{.State.ExitCode}}") == str(code)


def _rss_kb(docker, cid):
    out = docker.exec(cid, "grep", "^VmRSS:", "/proc/1/status")
    return int(out.split()[1])


def test_a_thousand_orphans_leave_no_zombie(docker, app_image):
    app = ("mkfifo /tmp/go; echo ready; cat /tmp/go >/dev/null; "
           "i=0; while [ $i -lt 1000 ]; do (sleep 0 &); i=$((i+1)); done; echo spawned; sleep 1000")
    cid = docker.run(app_image, "sh", "-c", app)
    docker.wait_for_log(cid, "ready")
    rss_before = _rss_kb(docker, cid)
    docker.exec(cid, "sh", "-c", "echo go > /tmp/go")
    docker.wait_for_log(cid, "spawned")
    assert docker.no_zombies_within(cid)
    rss_after = _rss_kb(docker, cid)
    TIMINGS.append(f"bantam VmRSS before/after 1000 orphans: {rss_before}/{rss_after} kB")
    assert rss_after == rss_before  # no heap: reaping costs no memory
    docker.stop_timed(cid)


@pytest.mark.parametrize("sig", ["USR1", "HUP"])
def test_docker_kill_reaches_the_app(docker, app_image, sig):
    cid = docker.run(app_image, "sh", "-c", TRAP_APP)
    docker.wait_for_log(cid, "ready")
    docker.cli("kill", "-s", sig, cid)
    docker.wait_for_log(cid, f"got {sig}")
    docker.stop_timed(cid)
    assert docker.inspect(cid, "{{.State.ExitCode}}") == "143"


HARDENED = ["--read-only", "--user", "65534:65534", "--cap-drop", "ALL", "--security-opt",
            "no-new-privileges"]


def test_hardened_container(docker, app_image):
    assert docker.wait(docker.run(app_image, "sh", "-c", "exit 3", opts=HARDENED)) == 3
    cid = docker.run(app_image, "sh", "-c", TRAP_APP, opts=HARDENED)
    docker.wait_for_log(cid, "ready")
    assert docker.exec(cid, "grep", "^Uid:", "/proc/1/status").split()[1:] == ["65534"] * 4
    docker.cli("kill", "-s", "USR1", cid)
    docker.wait_for_log(cid, "got USR1")
    took = docker.stop_timed(cid)
    TIMINGS.append(f"docker stop, hardened container: {took:.3f} s")
    assert docker.inspect(cid, "{{.State.ExitCode}}") == "143"


def test_image_with_bantam_alone(docker, tmp_path):
    ctx = tmp_path / "alone"
    make_rootfs(ctx / "rootfs", busybox=False)
    tag = docker.build("alone", ctx, 'FROM scratch\nCOPY rootfs/bantam /bantam\nENTRYPOINT ["/bantam"]\n')
    size = int(docker.cli("image", "inspect", "-f", "{{.Size}}", tag).stdout.strip())
    TIMINGS.append(f"FROM scratch image with bantam alone: {size} bytes")
    assert size == os.path.getsize(ctx / "rootfs" / "bantam")
    cid = docker.run(tag, "--version")
    assert docker.wait(cid) == 0
    assert docker.logs(cid).startswith("bantam ")


DAEMON_APP = ("(trap 'echo clean > /data/marker; exit 0' TERM; while :; do sleep 1000 & wait $!; done) & "
              "echo ready; sleep 1000")


@pytest.mark.parametrize("drain", [True, False])
def test_docker_stop_drains_a_background_daemon(docker, app_image, tmp_path, drain):
    data = tmp_path / "data"
    data.mkdir()
    opts = ["-v", f"{data}:/data"] + (["-e", "BANTAM_DRAIN=1"] if drain else [])
    cid = docker.run(app_image, "sh", "-c", DAEMON_APP, opts=opts)
    docker.wait_for_log(cid, "ready")
    took = docker.stop_timed(cid)
    TIMINGS.append(f"docker stop with a background daemon, drain={drain}: {took:.3f} s")
    assert docker.inspect(cid, "{{.State.ExitCode}}") == "143"  # the main app's code
    if drain:
        assert (data / "marker").read_text() == "clean\n"
    else:
        assert not (data / "marker").exists()  # SIGKILLed by the kernel with PID 1


# A daemon that ignores SIGTERM, ready once its trap is in place.
STUBBORN_DAEMON_APP = "(trap '' TERM; echo ready; while :; do sleep 1000 & wait $!; done) & sleep 1000"


def test_docker_stop_with_drain_ends_inside_the_stop_timeout(docker, app_image):
    # The drain's default window (8 s) ends before Docker's SIGKILL at 10 s: bantam
    # SIGKILLs the daemon itself and exits with the main program's code, not 137.
    cid = docker.run(app_image, "sh", "-c", STUBBORN_DAEMON_APP, opts=["-e", "BANTAM_DRAIN=1"])
    docker.wait_for_log(cid, "ready")
    took = docker.stop_timed(cid)
    TIMINGS.append(f"docker stop with a daemon ignoring SIGTERM, drain: {took:.3f} s")
    assert docker.inspect(cid, "{{.State.ExitCode}}") == "143"
    assert 7 <= took < 9.5, took


ORPHANS_APP = ("mkfifo /tmp/go; echo ready; cat /tmp/go >/dev/null; "
               "i=0; while [ $i -lt 200 ]; do (sleep 0 &); i=$((i+1)); done; echo spawned; sleep 1000")


def test_docker_info_shows_bantam_as_the_init(docker):
    commit = docker.cli("info", "-f", "{{.InitCommit.ID}}").stdout.strip()
    assert commit.startswith("bantam"), commit  # parsed from `docker-init --version`, not N/A


def test_docker_run_init_runs_bantam(docker, plain_image):
    assert docker.wait(docker.run(plain_image, "sh", "-c", "exit 5", opts=["--init"])) == 5
    cid = docker.run(plain_image, "sh", "-c", TRAP_APP, opts=["--init"])
    docker.wait_for_log(cid, "ready")
    cmdline = docker.exec(cid, "cat", "/proc/1/cmdline").split("\0")
    assert cmdline[:3] == ["/sbin/docker-init", "--", "sh"]
    docker.cli("kill", "-s", "USR1", cid)
    docker.wait_for_log(cid, "got USR1")
    took = docker.stop_timed(cid)
    TIMINGS.append(f"docker stop, docker run --init with bantam as docker-init: {took:.3f} s")
    assert docker.inspect(cid, "{{.State.ExitCode}}") == "143"
    assert took < 5


def test_docker_run_init_reaps_orphans(docker, plain_image):
    cid = docker.run(plain_image, "sh", "-c", ORPHANS_APP, opts=["--init"])
    docker.wait_for_log(cid, "ready")
    docker.exec(cid, "sh", "-c", "echo go > /tmp/go")
    docker.wait_for_log(cid, "spawned")
    assert docker.no_zombies_within(cid)
    docker.stop_timed(cid)


def test_pod_sandbox_reaps_the_app_containers_orphans(docker, pause_image, plain_image):
    sandbox = docker.run(pause_image)
    app = docker.run(plain_image, "sh", "-c", ORPHANS_APP, opts=["--pid", f"container:{sandbox}"])
    docker.wait_for_log(app, "ready")
    # The app container sees the sandbox's namespace: PID 1 there is bantam as pause.
    assert docker.exec(app, "cat", "/proc/1/cmdline").split("\0")[0] == "/pause"
    docker.exec(app, "sh", "-c", "echo go > /tmp/go")
    docker.wait_for_log(app, "spawned")
    assert docker.no_zombies_within(app)
    took = docker.stop_timed(sandbox)
    TIMINGS.append(f"docker stop of a pod sandbox (bantam as pause): {took:.3f} s")
    assert docker.inspect(sandbox, "{{.State.ExitCode}}") == "0"
    assert took < 5
    assert docker.wait(app) == 137  # the kernel ended the namespace with its init
