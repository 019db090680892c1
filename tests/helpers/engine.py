"""A container engine's command line (docker or podman): every container, pod and image a
suite creates is labelled with the run's id and recorded, and exactly those are removed at
the end, by id. Shared by tests/docker and tests/podman."""
import importlib.util
import shutil
import subprocess
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60
RUN_ID = uuid.uuid4().hex[:12]
LABEL = f"bantam-test={RUN_ID}"
TIMINGS = []  # measured facts (stop times, sizes), printed at the end of the run

BUSYBOX_APPLETS = ["sh", "sleep", "kill", "cat", "grep", "wc", "echo", "ps", "mkfifo", "true", "ls",
                   "touch", "test", "[", "sha256sum", "tr"]


def build_map():
    """scripts/platforms as tests/conftest.py reads it: {name: (platform, Rust target, qemu)}."""
    spec = importlib.util.spec_from_file_location("bantam_tests_conftest", ROOT / "tests" / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.PLATFORMS


class Engine:
    def __init__(self, command, env=None):
        self.command = command
        self.env = env
        self.containers = []
        self.pods = []
        self.images = []

    def cli(self, *args, timeout=TIMEOUT, check=True, **kw):
        kw.setdefault("env", self.env)
        r = subprocess.run([self.command, *args], capture_output=True, text=True, timeout=timeout, **kw)
        if check and r.returncode != 0:
            raise AssertionError(f"{self.command} {' '.join(args)} failed ({r.returncode}): {r.stderr.strip()}")
        return r

    def build(self, name, context, dockerfile, env=None):
        (context / "Dockerfile").write_text(dockerfile)
        tag = f"localhost/bantam-test-{name}:{RUN_ID}"
        r = self.cli("build", "-q", "--label", LABEL, "-t", tag, str(context), timeout=300, env=env or self.env)
        self.images.append(r.stdout.strip().splitlines()[-1])  # the image id, for cleanup
        return tag

    def run(self, image, *cmd, opts=(), network="none"):
        """Starts a detached container; returns its id."""
        args = ["run", "-d", "--label", LABEL, "--name", f"bantam-test-{RUN_ID}-{len(self.containers)}"]
        if network:
            args += ["--network", network]
        r = self.cli(*args, *opts, image, *cmd)
        cid = r.stdout.strip().splitlines()[-1]
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

    def check_stop_without_an_init(self, cid):
        """`cid` runs a shell as PID 1 that printed "ready": it has no SIGTERM handler, so
        the kernel drops the signal and the engine waits out its 10 s, then SIGKILLs."""
        self.wait_for_log(cid, "ready")
        took = self.stop_timed(cid)
        TIMINGS.append(f"{self.command} stop, shell as PID 1 (no init): {took:.3f} s")
        assert self.inspect(cid, "{{.State.ExitCode}}") == "137"
        assert took >= 9

    def zombies(self, cid, sh=("sh",)):
        """Zombies in the container, counted by the shell `sh` (a busybox runs its applets
        without PATH)."""
        out = self.exec(cid, *sh, "-c", "grep -h '^State:' /proc/[0-9]*/status | grep -c Z || true")
        return int(out.strip() or 0)

    def no_zombies_within(self, cid, seconds=30, sh=("sh",)):
        deadline = time.monotonic() + seconds
        while self.zombies(cid, sh) and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.zombies(cid, sh) == 0

    def cleanup(self):
        if self.containers:
            self.cli("rm", "-f", *self.containers, check=False)
        if self.pods:
            self.cli("pod", "rm", "-f", *self.pods, check=False)
        if self.images:
            self.cli("rmi", "-f", *self.images, check=False)


def make_rootfs(root, bantam=True, busybox=True, busybox_path=None, arch="amd64"):
    """A scratch root file system: /bantam, /bin/busybox with its applets, /tmp."""
    root.mkdir(parents=True)
    (root / "tmp").mkdir(mode=0o1777)
    (root / "tmp").chmod(0o1777)
    if bantam:
        shutil.copy(ROOT / "dist" / f"bantam-{arch}", root / "bantam")
    if busybox:
        (root / "bin").mkdir()
        shutil.copy(busybox_path or shutil.which("busybox"), root / "bin" / "busybox")
        for applet in BUSYBOX_APPLETS:
            (root / "bin" / applet).symlink_to("busybox")
    return root


def pytest_terminal_summary(terminalreporter):
    """Imported by each suite's conftest: prints what the tests measured."""
    if TIMINGS:
        terminalreporter.write_line("measured:")
        for fact in TIMINGS:
            terminalreporter.write_line(f"  {fact}")
