"""The release's OCI image on other platforms: each platform of its index loaded into the
suite's engine with skopeo and run with `docker run --platform`, under Debian's static
qemu-user (binfmt_misc handlers with the F flag, registered by scripts/docker-test), with a
static busybox of that architecture bind-mounted as /busybox."""
import hashlib
import os
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, RUN_ID, TIMEOUT, TIMINGS
from engine import build_map

PLATFORMS = build_map()

FOREIGN_DIR = Path(os.environ.get("BANTAM_FOREIGN_DIR", "/nonexistent"))
HOST_PLATFORM = {"x86_64": "linux/amd64", "aarch64": "linux/arm64"}[os.uname().machine]
# Every foreign platform of the build map, and at least these two.
WANTED = ["linux/arm64", "linux/arm/v7"] + [row[0] for row in PLATFORMS.values()]
FOREIGN = [p for i, p in enumerate(WANTED) if p != HOST_PLATFORM and p not in WANTED[:i]]
ORPHANS_APP = ("/busybox mkfifo /tmp/go; echo ready; /busybox cat /tmp/go >/dev/null; "
               "i=0; while [ $i -lt 200 ]; do (/busybox sleep 0 &); i=$((i+1)); done; echo spawned; "
               "exec /busybox sleep 1000")


class Foreign:
    def __init__(self, docker, platform, image, busybox, binary):
        self.docker, self.platform, self.image, self.busybox = docker, platform, image, busybox
        self.sha = hashlib.sha256(binary.read_bytes()).hexdigest()

    def run(self, *cmd):
        return self.docker.run(self.image, "/busybox", "sh", "-c", *cmd,
                               opts=["--platform", self.platform, "--pull", "never",
                                     "-v", f"{self.busybox}:/busybox:ro", "--tmpfs", "/tmp"])


def load(docker, source, platform, tag):
    """Loads `platform` of the OCI image `source` into the engine as `tag`; returns the
    platform the engine reports for it."""
    os_, arch, *variant = platform.split("/")
    subprocess.run(["skopeo", "copy", "-q", "--override-os", os_, "--override-arch", arch,
                    *(["--override-variant", variant[0]] if variant else []),
                    "--dest-daemon-host", os.environ["DOCKER_HOST"], source, f"docker-daemon:{tag}"],
                   check=True, timeout=TIMEOUT)
    docker.images.append(docker.cli("image", "inspect", "-f", "{{.Id}}", tag).stdout.strip())
    return docker.cli("image", "inspect", "-f", "{{.Os}}/{{.Architecture}}{{if .Variant}}/{{.Variant}}{{end}}",
                      tag).stdout.strip()


@pytest.fixture(scope="module", params=FOREIGN)
def foreign(request, docker):
    platform = request.param
    name = next((n for n, row in PLATFORMS.items() if row[0] == platform), None)
    if name is None:
        pytest.skip(f"{platform} is not in scripts/platforms yet")
    if not (ROOT / "dist" / f"bantam-{name}").exists():
        pytest.skip(f"dist/bantam-{name} is not built")
    busybox = FOREIGN_DIR / name / "bin" / "busybox"
    if not busybox.exists():
        pytest.skip(f"no static busybox for {platform} (scripts/docker-test found no Debian package)")
    archive, = (ROOT / "dist" / "release").glob("bantam-*.oci.tar")
    tag = f"localhost/bantam-test-release-{name}:{RUN_ID}"
    assert load(docker, f"oci-archive:{archive}", platform, tag) == platform
    return Foreign(docker, platform, tag, busybox, ROOT / "dist" / f"bantam-{name}")


@pytest.mark.parametrize("cmd, code", [
    ("exit 0", 0),
    ("exit 3", 3),
    ("kill -KILL $$", 137),
    ("kill -SEGV $$", 139),
])
def test_foreign_exit_codes(foreign, cmd, code):
    assert foreign.docker.wait(foreign.run(cmd)) == code


def test_foreign_docker_stop_and_orphans(foreign):
    docker = foreign.docker
    cid = foreign.run(ORPHANS_APP)
    docker.wait_for_log(cid, "ready")
    # The platform's own binary, run by the kernel through the registered qemu-user.
    assert docker.exec(cid, "/busybox", "sha256sum", "/bantam").split()[0] == foreign.sha
    docker.exec(cid, "/busybox", "sh", "-c", "echo go > /tmp/go")
    docker.wait_for_log(cid, "spawned")
    assert docker.no_zombies_within(cid, sh=("/busybox", "sh"))
    took = docker.stop_timed(cid)
    TIMINGS.append(f"docker stop, the {foreign.platform} image: {took:.3f} s")
    assert docker.inspect(cid, "{{.State.ExitCode}}") == "143"
    assert took < 5
