"""Boots a real kernel with bantam as /init (VM mode): scripts/vm-test runs these.

Each boot builds an initramfs (cpio newc) of dist/bantam-vm-<arch> as /init, a static
busybox with the applets the scripts use, and the tests' scripts (tests/vm/scripts), starts
qemu-system (TCG, as the machines here have no usable KVM) with the serial console on its
stdout, and reads the console until qemu exits: `-no-reboot` makes it exit when the guest
powers off, reboots or panics (`panic=-1`). Every boot is bounded by BOOT_TIMEOUT, and qemu
is killed by its PID if it outlives it.
"""
import os
import select
import socket
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = Path(__file__).resolve().parent / "scripts"
# Seconds a boot may take: about 4 s on a quiet machine, several times that under load.
BOOT_TIMEOUT = 90

# Collected only when scripts/vm-test has found the kernels (not by the container suite).
collect_ignore_glob = [] if os.environ.get("BANTAM_VM_KERNEL_AMD64") else ["test_*.py"]

MACHINES = {
    "amd64": (["qemu-system-x86_64", "-M", "pc"], "ttyS0"),
    "arm64": (["qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a57"], "ttyAMA0"),
}
APPLETS = "sh cat echo grep kill mkfifo readlink sleep".split()


def cpio_newc(entries):
    """A cpio archive in the kernel's initramfs format (newc) of (name, mode, data)."""
    out = bytearray()
    for ino, (name, mode, data) in enumerate([*entries, ("TRAILER!!!", 0, b"")], 1):
        name = name.encode() + b"\0"
        fields = (ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name), 0)
        out += b"070701" + "".join(f"{v:08x}" for v in fields).encode() + name
        out += b"\0" * (-len(out) % 4) + data
        out += b"\0" * (-len(out) % 4)
    return bytes(out)


class Vm:
    """One boot of a guest; `console` is what it has printed so far (without \\r)."""

    def __init__(self, arch, tmp_path, args, env=(), no_console=False, monitor=False):
        self.arch = arch
        kernel = os.environ[f"BANTAM_VM_KERNEL_{arch.upper()}"]
        busybox = Path(os.environ[f"BANTAM_VM_BUSYBOX_{arch.upper()}"]).read_bytes()
        entries = [
            ("init", 0o100755, (ROOT / "dist" / f"bantam-vm-{arch}").read_bytes()),
            ("bin", 0o040755, b""),
            ("bin/busybox", 0o100755, busybox),
            *((f"bin/{a}", 0o120777, b"busybox") for a in APPLETS),
            ("t", 0o040755, b""),
            *((f"t/{s.name}", 0o100644, s.read_bytes()) for s in sorted(SCRIPTS.iterdir())),
        ]
        if no_console:
            # The kernel's own initramfs has /dev/console; a dangling link in its place
            # leaves init with fds 0-2 closed ("unable to open an initial console").
            entries[1:1] = [("dev", 0o040755, b""), ("dev/console", 0o120777, b"/nonexistent")]
        initrd = tmp_path / f"initrd-{arch}.cpio"
        initrd.write_bytes(cpio_newc(entries))
        qemu, tty = MACHINES[arch]
        cmdline = " ".join([f"console={tty}", "panic=-1", "quiet", *env, "--", *args])
        self.monitor = tmp_path / "monitor.sock" if monitor else None
        argv = [*qemu, "-m", "256", "-display", "none", "-nic", "none", "-no-reboot", "-serial", "stdio",
                "-monitor", f"unix:{self.monitor},server=on,wait=off" if monitor else "none",
                "-kernel", kernel, "-initrd", str(initrd), "-append", cmdline]
        self.deadline = time.monotonic() + BOOT_TIMEOUT
        self.console = ""
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)

    def read_until(self, text=None):
        """Reads the console until `text` has appeared (None: until qemu exits)."""
        fd = self.proc.stdout.fileno()
        while text is None or text not in self.console:
            left = self.deadline - time.monotonic()
            assert left > 0, f"boot timed out; console so far:\n{self.console}"
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                assert text is None, f"qemu exited before {text!r}; console:\n{self.console}"
                break
            self.console += chunk.decode(errors="replace").replace("\r", "")
        return self.console

    def finish(self):
        """Reads the console to qemu's exit; returns qemu's exit status and the console."""
        self.read_until(None)
        return self.proc.wait(timeout=max(1, self.deadline - time.monotonic())), self.console

    def monitor_command(self, command):
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(30)
            s.connect(str(self.monitor))
            # The monitor greets, then runs a command line and prompts again: read the
            # prompt after it, so that the command has run before the socket closes.
            s.sendall(command.encode() + b"\n")
            seen = b""
            while seen.count(b"(qemu)") < 2:
                chunk = s.recv(4096)
                assert chunk, f"monitor closed: {seen!r}"
                seen += chunk

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)
        self.proc.stdout.close()


@pytest.fixture
def boot(tmp_path):
    """boot(arch, args, env=..., no_console=..., monitor=...) starts a guest."""
    started = []

    def start(arch, args, **kw):
        vm = Vm(arch, tmp_path, args, **kw)
        started.append(vm)
        return vm

    yield start
    for vm in started:
        vm.kill()
