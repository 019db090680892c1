"""The VM-mode build (dist/bantam-vm-amd64) as a Docker container's entrypoint: its probe
fails there (no CAP_SYS_BOOT: EPERM), so it is the plain container init."""
import shutil

import pytest

from conftest import ROOT, make_rootfs

# The app prints the mount points it sees, then exits with 7.
APP = ["sh", "-c", "grep -c . /proc/self/mounts; exit 7"]


@pytest.fixture(scope="module")
def vm_image(docker, tmp_path_factory):
    ctx = tmp_path_factory.mktemp("vm")
    make_rootfs(ctx / "rootfs", bantam=False)
    shutil.copy(ROOT / "dist" / "bantam-vm-amd64", ctx / "rootfs" / "bantam")
    return docker.build("vm", ctx, 'FROM scratch\nCOPY rootfs/ /\nENV PATH=/bin\nENTRYPOINT ["/bantam", "--"]\n')


def test_vm_build_in_docker_does_nothing_of_vm_mode(docker, vm_image, app_image):
    # The same mounts as under the default build, the status passed through, no line.
    default = docker.run(app_image, *APP)
    cid = docker.run(vm_image, *APP)
    assert docker.wait(cid) == 7 and docker.wait(default) == 7
    assert docker.logs(cid) == docker.logs(default)
    assert "bantam" not in docker.logs(cid)


def test_vm_mode_forced_in_docker_reports_what_it_cannot_do_and_exits(docker, vm_image):
    # BANTAM_VM=1: the mounts and the power off are refused (EPERM without CAP_SYS_ADMIN
    # and CAP_SYS_BOOT); bantam says so and exits with the status, as a container init.
    cid = docker.run(vm_image, *APP, opts=["-e", "BANTAM_VM=1"])
    assert docker.wait(cid) == 7
    lines = docker.logs(cid).splitlines()
    for mount in ["/dev", "/dev/pts", "/proc", "/sys", "/run"]:
        assert f"bantam: warning: mount {mount}: EPERM" in lines, lines
    assert lines[-2:] == ["bantam: exit status 7", "bantam: reboot: EPERM"], lines
