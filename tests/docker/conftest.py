"""Fixtures for the Docker suite: FROM scratch images holding bantam and busybox, and a
client that labels everything it creates and removes exactly that at the end.

Run through scripts/docker-test, which starts the engine and sets DOCKER_HOST.
"""
import os
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60
RUN_ID = uuid.uuid4().hex[:12]
LABEL = f"bantam-test={RUN_ID}"
TIMINGS = []  # measured facts (stop times, sizes), printed at the end of the run

BUSYBOX_APPLETS = ["sh", "sleep", "kill", "cat", "grep", "wc", "echo", "ps", "mkfifo", "true", "ls",
                   "touch", "test", "["]


class Docker:
    def __init__(self):
        self.containers = []
        self.images = []

    def cli(self, *args, timeout=TIMEOUT, check=True, **kw):
        r = subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout, **kw)
        if check and r.returncode != 0:
            raise AssertionError(f"docker {' '.join(args)} failed ({r.returncode}): {r.stderr.strip()}")
        return r

    def build(self, name, context, dockerfile):
        (context / "Dockerfile").write_text(dockerfile)
        tag = f"bantam-test/{name}:{RUN_ID}"
        r = self.cli("build", "-q", "--label", LABEL, "-t", tag, str(context), timeout=300,
                     env=dict(os.environ, DOCKER_BUILDKIT="0"))
        self.images.append(r.stdout.strip().splitlines()[-1])  # the image id, for cleanup
        return tag

    def run(self, image, *cmd, opts=(), network="none"):
        """Starts a detached container; returns its id."""
        args = ["run", "-d", "--label", LABEL, "--name", f"bantam-test-{RUN_ID}-{len(self.containers)}"]
        if network:
            args += ["--network", network]
        r = self.cli(*args, *opts, image, *cmd)
        cid = r.stdout.strip()
        self.containers.append(cid)
        return cid

    def wait(self, cid, timeout=TIMEOUT):
        return int(self.cli("wait", cid, timeout=timeout).stdout.strip())

    def inspect(self, cid, fmt):
        return self.cli("inspect", "-f", fmt, cid).stdout.strip()

    def logs(self, cid):
        r = self.cli("logs", cid)
        return r.stdout + r.stderr

    def exec(self, cid, *cmd):
        return self.cli("exec", cid, *cmd).stdout

    def wait_for_log(self, cid, text, timeout=TIMEOUT):
        """Bounded wait until the container has printed `text`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.logs(cid):
                return
            if self.inspect(cid, "{{.State.Running}}") != "true":
                break
            time.sleep(0.05)
        raise AssertionError(f"container never printed {text!r}; logs: {self.logs(cid)!r}")

    def stop_timed(self, cid, seconds=10):
        started = time.monotonic()
        self.cli("stop", "-t", str(seconds), cid, timeout=seconds + TIMEOUT)
        return time.monotonic() - started

    def cleanup(self):
        if self.containers:
            self.cli("rm", "-f", *self.containers, check=False)
        if self.images:
            self.cli("rmi", "-f", *self.images, check=False)


def make_rootfs(root, bantam=True, busybox=True):
    """A scratch root file system: /bantam, /bin/busybox with its applets, /tmp."""
    root.mkdir(parents=True)
    (root / "tmp").mkdir(mode=0o1777)
    (root / "tmp").chmod(0o1777)
    if bantam:
        shutil.copy(ROOT / "dist" / "bantam-amd64", root / "bantam")
    if busybox:
        (root / "bin").mkdir()
        shutil.copy(shutil.which("busybox"), root / "bin" / "busybox")
        for applet in BUSYBOX_APPLETS:
            (root / "bin" / applet).symlink_to("busybox")
    return root


@pytest.fixture(scope="session")
def docker():
    d = Docker()
    yield d
    d.cleanup()


@pytest.fixture(scope="session")
def app_image(docker, tmp_path_factory):
    """bantam as the entrypoint, busybox and a segfaulting static program beside it."""
    ctx = tmp_path_factory.mktemp("app")
    make_rootfs(ctx / "rootfs")
    segv_c = ctx / "segv.c"
    segv_c.write_text("int main(void) { *(volatile int *)0 = 0; return 0; }\n")
    subprocess.run(["gcc", "-static", "-O0", "-o", str(ctx / "rootfs" / "segv"), str(segv_c)], check=True,
                   timeout=TIMEOUT)
    return docker.build("app", ctx, 'FROM scratch\nCOPY rootfs/ /\nENV PATH=/bin\nENTRYPOINT ["/bantam", "--"]\n')


@pytest.fixture(scope="session")
def plain_image(docker, tmp_path_factory):
    """busybox only, no init: for `docker run --init` and pod members."""
    ctx = tmp_path_factory.mktemp("plain")
    make_rootfs(ctx / "rootfs", bantam=False)
    return docker.build("plain", ctx, "FROM scratch\nCOPY rootfs/ /\nENV PATH=/bin\n")


@pytest.fixture(scope="session")
def pause_image(docker, tmp_path_factory):
    """bantam alone, installed as /pause (the pause personality): a pod's sandbox."""
    ctx = tmp_path_factory.mktemp("pause")
    (ctx / "rootfs").mkdir()
    shutil.copy(ROOT / "dist" / "bantam-amd64", ctx / "rootfs" / "pause")
    return docker.build("pause", ctx, 'FROM scratch\nCOPY rootfs/pause /pause\nENTRYPOINT ["/pause"]\n')


def pytest_terminal_summary(terminalreporter):
    if TIMINGS:
        terminalreporter.write_line("measured:")
        for fact in TIMINGS:
            terminalreporter.write_line(f"  {fact}")


def pytest_collection_modifyitems(items):
    """Image builds and `docker stop` timeouts take longer than pytest.ini's limit allows."""
    for item in items:
        item.add_marker(pytest.mark.timeout(600))
