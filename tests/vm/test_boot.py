"""bantam as the kernel's init (VM mode, SPEC §8), booted under qemu-system on both arches.

Each boot runs one of tests/vm/scripts with busybox's sh and ends the VM; the console must
show the program's output, bantam's fixed status line, and the kernel powering off (or
restarting) rather than panicking. Several checks share a boot where they can.
"""
import pytest

ARCHES = ["amd64", "arm64"]
POWER_OFF = "reboot: Power down"
PANIC = "Kernel panic"


def ended(vm, status_line, how=POWER_OFF):
    """Reads the boot to its end: qemu exited by itself after `status_line` and `how`."""
    code, console = vm.finish()
    assert PANIC not in console, console
    assert f"bantam: {status_line}" in console.splitlines(), console
    assert how in console.split(f"bantam: {status_line}", 1)[1], console
    assert code == 0, console
    return console


@pytest.mark.parametrize("arch", ARCHES)
def test_program_finds_the_machine_set_up_and_its_exit_7_powers_off(boot, arch):
    # Also: orphans are reaped, and --drain's SIGTERM reaches a daemon before the end.
    vm = boot(arch, ["--drain", "/bin/sh", "/t/machine.sh"])
    console = ended(vm, "exit status 7")
    for check in ["/dev/null", "/proc/self", "/sys", "/run", "/dev/pts", "orphan reaped"]:
        assert f"ok {check}\n" in console, console
    assert "drained daemon\n" in console.split("bantam: exit status 7")[0], console


@pytest.mark.parametrize("arch", ARCHES)
def test_closed_fds_get_the_console_and_exit_0_powers_off(boot, arch):
    vm = boot(arch, ["/bin/sh", "/t/console.sh"], no_console=True)
    console = ended(vm, "exit status 0")
    assert "unable to open an initial console" in console, console
    for fd in 0, 1, 2:
        assert f"ok fd {fd}: /dev/console\n" in console, console


@pytest.mark.parametrize("arch", ARCHES)
def test_exit_255_with_vm_end_reboot_restarts(boot, arch):
    vm = boot(arch, ["/bin/sh", "/t/exit.sh", "255"], env=["BANTAM_VM_END=reboot"])
    console = ended(vm, "exit status 255", how="reboot: Restarting system")
    assert POWER_OFF not in console


@pytest.mark.parametrize("arch", ARCHES)
def test_death_by_signal_is_reported_and_powers_off(boot, arch):
    vm = boot(arch, ["/bin/sh", "/t/kill-self.sh"])
    ended(vm, "killed by SIGUSR1 (138)")


def test_ctrl_alt_del_is_forwarded_as_sigint_and_powers_off(boot):
    # Without VM mode's reboot(CAD_OFF), the kernel would reset the machine at once.
    vm = boot("amd64", ["/bin/sh", "/t/wait.sh"], monitor=True)
    vm.read_until("ready for a signal\n")
    vm.monitor_command("sendkey ctrl-alt-delete")
    ended(vm, "killed by SIGINT (130)")


@pytest.mark.parametrize("arch", ARCHES)
def test_bantam_vm_0_turns_vm_mode_off(boot, arch):
    # As a container init, bantam exits with the status, and the kernel panics.
    vm = boot(arch, ["/bin/sh", "/t/exit.sh", "7"], env=["BANTAM_VM=0"])
    code, console = vm.finish()
    assert "Attempted to kill init! exitcode=0x00000700" in console, console
    assert "bantam: exit status" not in console and POWER_OFF not in console, console
