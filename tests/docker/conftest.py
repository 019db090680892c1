"""Fixtures for the Docker suite: FROM scratch images holding bantam and busybox, and a
client that labels everything it creates and removes exactly that at the end.

Run through scripts/docker-test, which starts the engine and sets DOCKER_HOST.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "helpers"))
from engine import (LABEL, ROOT, RUN_ID, TIMEOUT, TIMINGS, Engine, make_rootfs,  # noqa: E402,F401
                    pytest_terminal_summary)


class Docker(Engine):
    def __init__(self):
        super().__init__("docker")

    def build(self, name, context, dockerfile, env=None):
        return super().build(name, context, dockerfile, env=dict(os.environ, DOCKER_BUILDKIT="0"))


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


def pytest_collection_modifyitems(items):
    """Image builds and `docker stop` timeouts take longer than pytest.ini's limit allows."""
    for item in items:
        item.add_marker(pytest.mark.timeout(600))
