"""Fixtures for the Podman suite: FROM scratch images holding busybox (and bantam where a
test needs it), and a client that labels everything it creates and removes exactly that.

Run through scripts/podman-test, which writes a containers.conf and storage.conf of the
suite's own (init_path and helper_binaries_dir hold bantam as catatonit) and exports
CONTAINERS_CONF, CONTAINERS_STORAGE_CONF and BANTAM_PODMAN_DIR.
"""
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "helpers"))
from engine import (LABEL, ROOT, RUN_ID, TIMEOUT, TIMINGS, Engine, build_map, make_rootfs,  # noqa: E402,F401
                    pytest_terminal_summary)

CONF_DIR = Path(os.environ.get("BANTAM_PODMAN_DIR", "/nonexistent"))
BANTAM = ROOT / "dist" / "bantam-amd64"


class Podman(Engine):
    def __init__(self):
        super().__init__("podman")

    def pause_images(self):
        """Ids of the pause images Podman builds for pods from its catatonit helper."""
        r = self.cli("images", "-q", "--no-trunc", "--filter", "reference=localhost/podman-pause")
        return sorted(set(r.stdout.split()))

    def pod_create(self, *opts, env=None):
        r = self.cli("pod", "create", "--label", f"bantam-test={RUN_ID}", "--network", "none", *opts,
                     env=env or self.env)
        pod = r.stdout.strip().splitlines()[-1]
        self.pods.append(pod)
        return pod

    def run_in_pod(self, pod, image, *cmd):
        """A member of `pod` (which owns the network): returns its id."""
        return self.run(image, *cmd, opts=["--pod", pod], network=None)


@pytest.fixture(scope="session")
def podman():
    if "BANTAM_PODMAN_DIR" not in os.environ:
        pytest.exit("run the Podman suite through scripts/podman-test (it writes the configuration)")
    p = Podman()
    yield p
    p.cleanup()


@pytest.fixture(scope="session")
def plain_image(podman, tmp_path_factory):
    """busybox only, no init: for `podman run --init` and pod members."""
    ctx = tmp_path_factory.mktemp("plain")
    make_rootfs(ctx / "rootfs", bantam=False)
    return podman.build("plain", ctx, "FROM scratch\nCOPY rootfs/ /\nENV PATH=/bin\n")
