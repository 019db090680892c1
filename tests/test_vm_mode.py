"""The VM-mode build (dist/bantam-vm-<arch>, SPEC §8) in a container: the probe fails there,
so it behaves as the default build; scripts/vm-test boots it as a real kernel's init."""
import os
import shutil
import signal
import subprocess
import sys

import pytest

from conftest import ARCHES, NAMESPACE, ROOT, TIMEOUT, Bantam
from test_core import _wait_blocked as wait_blocked

VM_ARCHES = [a for a in ARCHES if a in ("amd64", "arm64")]
VM_SIZE_LIMIT = 9216  # the default build's 8,192 and 1 KiB for VM mode
POWERED_OFF = (-signal.SIGINT, 128 + signal.SIGINT)  # as unshare reports the namespace's end
# The child's view of the mount points that VM mode mounts on (others come and go with
# what else runs on the machine): each mount there, as its point and type.
MOUNTS = ("print(sorted(' '.join(l.split()[1:3]) for l in open('/proc/self/mounts') "
          "if l.split()[1] in ('/dev', '/dev/pts', '/proc', '/sys', '/run')))")


@pytest.fixture(params=VM_ARCHES)
def vm_bantam(request, tmp_path):
    b = Bantam(request.param, tmp_path)
    b.path = ROOT / "dist" / f"bantam-vm-{request.param}"
    if not b.path.exists():
        pytest.fail(f"{b.path} is missing: run scripts/build first")
    yield b
    b.cleanup()


def test_vm_build_size_within_budget(vm_bantam):
    assert vm_bantam.path.stat().st_size <= VM_SIZE_LIMIT


def test_in_a_container_nothing_of_vm_mode_happens(vm_bantam, tmp_path):
    # The same program under the default build sees the same mounts; the status passes
    # through, with no status line and no power off.
    default = Bantam(vm_bantam.arch, tmp_path).run(sys.executable, "-c", MOUNTS)
    r = vm_bantam.run(sys.executable, "-c", MOUNTS + "; exit(7)")
    assert (r.returncode, r.stdout, r.stderr) == (7, default.stdout, "")
    assert " /run tmpfs" not in r.stdout


def test_bantam_vm_1_forces_vm_mode_in_a_container(vm_bantam):
    # A PID 1 whose probe fails takes VM mode when told to: it mounts (here in the new
    # mount namespace that unshare made), reports, and its power off ends the namespace,
    # whose init the kernel then reports killed by SIGINT (kernel/pid_namespace.c).
    r = vm_bantam.run(sys.executable, "-c", MOUNTS + "; exit(7)", env={"BANTAM_VM": "1"})
    assert "'/run tmpfs'" in r.stdout and "'/dev/pts devpts'" in r.stdout, r.stdout
    assert r.stderr == "bantam: exit status 7\n"
    assert r.returncode in POWERED_OFF, r


def test_the_probe_fails_in_a_pid_namespace():
    # What VM mode's probe meets in a privileged container: reboot(CAD_OFF), glibc's
    # reboot(0), by PID 1 of
    # a PID namespace that is not the initial one is refused with EINVAL (EPERM without
    # CAP_SYS_BOOT), so bantam stays a container init there.
    probe = (
        "import ctypes, os; libc = ctypes.CDLL(None, use_errno=True); assert os.getpid() == 1; "
        "print(libc.reboot(0), os.strerror(ctypes.get_errno()))"
    )
    r = subprocess.run([*NAMESPACE, sys.executable, "-c", probe], capture_output=True, text=True,
                       timeout=TIMEOUT)
    assert r.stdout == f"-1 {os.strerror(22)}\n", r



def test_sigpwr_is_forwarded_as_sigterm_in_vm_mode_only(vm_bantam, child):
    # In VM mode SIGPWR is a shutdown request, which the program gets as SIGTERM; in a
    # container it is forwarded as itself, as by the default build.
    for env, forwarded in [({"BANTAM_VM": "1"}, signal.SIGTERM), ({}, signal.SIGPWR)]:
        proc = vm_bantam.start(*child, "signals", "1", env=env)
        proc.expect_line("ready")
        proc.signal_init(signal.SIGPWR)
        proc.expect_line(str(int(forwarded)))
        proc.finish()



@pytest.mark.parametrize("args, out, err", [
    (["--bogus"], "", "bantam: unknown option: --bogus\nbantam: exit status 2\n"),
    (["--version"], "bantam 0.1.0 - git.bantam010\n", "bantam: exit status 0\n"),
])
def test_vm_mode_ends_the_machine_after_its_own_messages_too(vm_bantam, args, out, err):
    r = vm_bantam.run(*args, env={"BANTAM_VM": "1"})
    assert (r.stdout, r.stderr) == (out, err) and r.returncode in POWERED_OFF, r


def test_vm_mode_pause_ends_the_machine_on_sigterm(vm_bantam):
    proc = vm_bantam.start("--pause", env={"BANTAM_VM": "1"})
    wait_blocked(proc)
    proc.signal_init(signal.SIGTERM)
    code, _, err = proc.finish()
    assert err == "bantam: exit status 0\n" and code in POWERED_OFF, (code, err)


def test_a_failed_power_off_is_reported_and_exits_as_in_a_container(vm_bantam):
    # Without CAP_SYS_BOOT (dropped from the bounding set, so bantam never has it)
    # reboot(2) fails: bantam says why and exits with the status, as a container init.
    setpriv = [shutil.which("setpriv") or "setpriv", "--bounding-set=-sys_boot"]
    exe = [*vm_bantam.prefix, str(vm_bantam.path), sys.executable, "-c", "exit(7)"]
    r = subprocess.run([*NAMESPACE, *setpriv, *exe], capture_output=True, text=True, timeout=TIMEOUT,
                       env={"BANTAM_VM": "1"})
    assert (r.returncode, r.stderr) == (7, "bantam: exit status 7\nbantam: reboot: EPERM\n"), r
