"""bantam in real Podman containers: `podman run --init`, pods whose infra container is
bantam (built from the catatonit helper, or the release image as infra_image), and a
Kubernetes Pod played with `podman kube play`."""
import hashlib
import os
import re
import shutil
import subprocess
import time

import pytest

from conftest import BANTAM, CONF_DIR, LABEL, ROOT, RUN_ID, TIMEOUT, TIMINGS, build_map, make_rootfs

BANTAM_SHA = hashlib.sha256(BANTAM.read_bytes()).hexdigest()
ORPHANS_APP = ("mkfifo /tmp/go; echo ready; cat /tmp/go >/dev/null; "
               "i=0; while [ $i -lt 200 ]; do (sleep 0 &); i=$((i+1)); done; echo spawned; exec sleep 1000")


def pid1(podman, cid):
    """PID 1 as `cid` sees it: its command line and the sha256 of its executable."""
    cmdline = podman.exec(cid, "cat", "/proc/1/cmdline").split("\0")[:-1]
    sha = podman.exec(cid, "sha256sum", "/proc/1/exe").split()[0]
    return cmdline, sha


def orphans_are_reaped(podman, cid):
    podman.wait_for_log(cid, "ready")
    podman.exec(cid, "sh", "-c", "echo go > /tmp/go")
    podman.wait_for_log(cid, "spawned")
    return podman.no_zombies_within(cid)


def test_podman_run_init_runs_bantam(podman, plain_image):
    cid = podman.run(plain_image, "sh", "-c", ORPHANS_APP, opts=["--init"])
    podman.wait_for_log(cid, "ready")
    cmdline, sha = pid1(podman, cid)
    assert cmdline[:3] == ["/run/podman-init", "--", "sh"]
    assert sha == BANTAM_SHA
    assert orphans_are_reaped(podman, cid)
    took = podman.stop_timed(cid)
    TIMINGS.append(f"podman stop, podman run --init with bantam as init_path: {took:.3f} s")
    assert podman.inspect(cid, "{{.State.ExitCode}}") == "143"
    assert took < 5  # far inside the 10 s stop timeout


def test_podman_stop_with_a_shell_as_pid1_waits_for_the_timeout(podman, plain_image):
    # For contrast: the same app without --init.
    podman.check_stop_without_an_init(podman.run(plain_image, "sh", "-c", "echo ready; sleep 1000"))


@pytest.mark.parametrize("cmd, code", [
    (["sh", "-c", "exit 0"], 0),
    (["sh", "-c", "exit 3"], 3),
    (["sh", "-c", "kill -KILL $$"], 137),
    (["sh", "-c", "kill -SEGV $$"], 139),
    (["/no/such/program"], 127),
])
def test_podman_run_init_exit_codes(podman, plain_image, cmd, code):
    assert podman.wait(podman.run(plain_image, *cmd, opts=["--init"])) == code


def check_pod(podman, pod, plain_image, infra_cmdline, what):
    """A member's orphans are reaped by the infra container (bantam, PID 1 of the shared
    PID namespace); `podman pod stop` is prompt and the infra container exits 0. (The
    member's code is 143 or 137: Podman stops the infra container beside it, and when the
    namespace's init exits first the kernel SIGKILLs the member.)"""
    app = podman.run_in_pod(pod, plain_image, "sh", "-c", ORPHANS_APP)
    podman.wait_for_log(app, "ready")
    assert pid1(podman, app) == (infra_cmdline, BANTAM_SHA)
    assert orphans_are_reaped(podman, app)
    started = time.monotonic()
    podman.cli("pod", "stop", pod)
    took = time.monotonic() - started
    TIMINGS.append(f"podman pod stop, {what}: {took:.3f} s")
    infra = podman.cli("pod", "inspect", "-f", "{{.InfraContainerID}}", pod).stdout.strip()
    assert podman.inspect(infra, "{{.State.ExitCode}}") == "0"
    assert took < 5


def test_pod_infra_is_bantam_from_helper_binaries_dir(podman, plain_image):
    # Podman builds localhost/podman-pause:<version> from the catatonit it finds first in
    # helper_binaries_dir: bantam. scripts/podman-test removes that tag before and after.
    assert podman.pause_images() == []
    pod = podman.pod_create("--share", "pid,ipc,uts")
    assert len(podman.pause_images()) == 1
    check_pod(podman, pod, plain_image, ["/catatonit", "-P"], "infra built from bantam as catatonit")


@pytest.fixture(scope="session")
def release_image(podman):
    """The release's OCI image (the host's platform of its index) in Podman's storage."""
    archive, = (ROOT / "dist" / "release").glob("bantam-*.oci.tar")
    tag = f"localhost/bantam-test-release:{RUN_ID}"
    subprocess.run(["skopeo", "copy", "-q", f"oci-archive:{archive}", f"containers-storage:{tag}"],
                   check=True, timeout=TIMEOUT)
    podman.images.append(podman.cli("image", "inspect", "-f", "{{.Id}}", tag).stdout.strip())
    return tag


def test_pod_infra_image_is_the_release_image(podman, plain_image, release_image, tmp_path):
    conf = tmp_path / "containers.conf"
    conf.write_text((CONF_DIR / "containers.conf").read_text().replace(
        "[engine]\n", f'[engine]\ninfra_image = "{release_image}"\n'))
    pod = podman.pod_create("--share", "pid,ipc,uts", env=dict(os.environ, CONTAINERS_CONF=str(conf)))
    # The image's ENTRYPOINT and CMD: bantam in pause mode, as Podman runs `catatonit -P`.
    check_pod(podman, pod, plain_image, ["/bantam", "-P"], "infra_image = the release image")


def readme_pod_manifest():
    """The Kubernetes Pod example of README.md."""
    blocks = re.findall(r"```yaml\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    pods = [b for b in blocks if "\nkind: Pod\n" in b]
    assert len(pods) == 1, "README.md has one Kubernetes Pod example"
    return pods[0]


APP_SCRIPT = "#!/bin/sh\n# /app serve: starts 200 short-lived orphans when told, then serves.\n" + ORPHANS_APP + "\n"


def test_kube_play_runs_the_readme_pod(podman, tmp_path):
    ctx = tmp_path / "ctx"
    make_rootfs(ctx / "rootfs")
    (ctx / "rootfs" / "app").write_text(APP_SCRIPT)
    (ctx / "rootfs" / "app").chmod(0o755)
    image = podman.build("kube-app", ctx, "FROM scratch\nCOPY rootfs/ /\nENV PATH=/bin\n")
    manifest = readme_pod_manifest()
    name = re.search(r"\n  name: (\S+)\n", manifest).group(1)
    assert "image: my-app\n" in manifest
    yaml = tmp_path / "pod.yaml"
    yaml.write_text(manifest.replace("image: my-app\n", f"image: {image}\n")
                    .replace(f"name: {name}\n", f"name: {name}-{RUN_ID}\n", 1))
    pod_name = f"{name}-{RUN_ID}"

    def play():
        out = podman.cli("kube", "play", "--network", "none", str(yaml)).stdout.split()
        podman.pods.append(out[out.index("Pod:") + 1])
        return out[out.index("Container:") + 1]

    app = play()
    podman.wait_for_log(app, "ready")
    # The pod's infra container is bantam as catatonit, PID 1 for the app; the app's own
    # command is bantam too, not PID 1 here (a subreaper).
    assert pid1(podman, app) == (["/catatonit", "-P"], BANTAM_SHA)
    assert podman.inspect(app, "{{.Path}}") == "/bantam"
    assert orphans_are_reaped(podman, app)
    # As the kubelet does: the app container first (SIGTERM, its grace period), then the
    # sandbox. bantam forwards SIGTERM; the app ends by it and the drain finds nothing left.
    took = podman.stop_timed(app, 30)
    TIMINGS.append(f"podman stop of the README Pod's app (bantam --drain --grace): {took:.3f} s")
    assert podman.inspect(app, "{{.State.ExitCode}}") == "143"
    assert took < 5
    started = time.monotonic()
    podman.cli("pod", "stop", pod_name, timeout=TIMEOUT)
    took = time.monotonic() - started
    TIMINGS.append(f"podman pod stop of the README Pod, app stopped: {took:.3f} s")
    infra = podman.cli("pod", "inspect", "-f", "{{.InfraContainerID}}", pod_name).stdout.strip()
    assert podman.inspect(infra, "{{.State.ExitCode}}") == "0"
    assert took < 5
    podman.cli("kube", "down", str(yaml))

    # `podman kube down` on a running pod: Podman 4.3 stops every container with timeout 0
    # (SIGKILL, no grace period), then removes the pod and its cgroup.
    app = play()
    podman.wait_for_log(app, "ready")
    started = time.monotonic()
    podman.cli("kube", "down", str(yaml), timeout=TIMEOUT)
    took = time.monotonic() - started
    TIMINGS.append(f"podman kube down of the running README Pod: {took:.3f} s")
    assert podman.cli("pod", "exists", pod_name, check=False).returncode == 1
    assert took < 10  # no grace period was waited out


def readme_dockerfiles():
    """The README's Dockerfiles that pick bantam by the platform being built."""
    blocks = re.findall(r"```dockerfile\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    found = [b for b in blocks if "$TARGETPLATFORM" in b or "${TARGETARCH}" in b]
    assert len(found) == 2, "README.md shows COPY --from the image and COPY of the release binary"
    return found


BUILT = [(name, row[0]) for name, row in build_map().items() if (ROOT / "dist" / f"bantam-{name}").exists()]


@pytest.mark.parametrize("name, platform", BUILT)
def test_readme_dockerfiles_take_the_platforms_bantam(podman, tmp_path, name, platform):
    # Built for `platform` by Buildah (no RUN, so nothing runs emulated); the README's
    # registry image is the release's OCI archive here.
    archive, = (ROOT / "dist" / "release").glob("bantam-*.oci.tar")
    (tmp_path / "app").write_text("app\n")
    (tmp_path / "dist").mkdir()
    for built, _ in BUILT:
        shutil.copy(ROOT / "dist" / f"bantam-{built}", tmp_path / "dist")
    unfit = None
    for i, dockerfile in enumerate(readme_dockerfiles()):
        if platform == "linux/arm/v6" and "$TARGETPLATFORM" in dockerfile:
            # Buildah 1.28 pulls the arm/v6 image of the index, then cannot find it in its
            # own storage ("locating pulled image ...: image not known"); the index entry and
            # the image's configuration say arm/v6 (test_release.py), and Docker runs that
            # image (tests/docker/test_foreign.py).
            unfit = "Buildah 1.28 cannot look up the arm/v6 image it pulled from an index"
            continue
        (tmp_path / "Dockerfile").write_text(dockerfile.replace("registry.example/bantam:0.1.0",
                                                                f"oci-archive:{archive}"))
        tag = f"localhost/bantam-test-readme-{name}-{i}:{RUN_ID}"
        subprocess.run(["buildah", "build", "--quiet", "--pull=never", "--platform", platform,
                        "--label", LABEL, "-t", tag, str(tmp_path)], check=True, timeout=TIMEOUT,
                       capture_output=True)
        podman.images.append(podman.cli("image", "inspect", "-f", "{{.Id}}", tag).stdout.strip())
        cid = podman.cli("create", "--label", LABEL, tag).stdout.strip().splitlines()[-1]
        podman.containers.append(cid)
        podman.cli("cp", f"{cid}:/bantam", str(tmp_path / f"got-{i}"))
        assert (tmp_path / f"got-{i}").read_bytes() == (ROOT / "dist" / f"bantam-{name}").read_bytes(), i
    if unfit:
        pytest.skip(f"{platform}, the FROM-image Dockerfile only: {unfit}")
