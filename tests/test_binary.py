"""Properties of the built binaries (SPEC §7), read from the ELF file itself."""
import os
import struct
import subprocess

import pytest

from conftest import ARCHES, PLATFORMS, ROOT

SIZE_LIMIT = 8192  # hard budget per architecture; the goal is 4096
PT_LOAD, PT_DYNAMIC, PT_INTERP, PT_GNU_STACK = 1, 2, 3, 0x6474E551
PF_X = 1
SHT_SYMTAB, SHT_RELA, SHT_DYNAMIC, SHT_REL, SHT_DYNSYM = 2, 4, 6, 9, 11
MACHINE = {"x86_64": 62, "aarch64": 183}  # e_machine by the Rust target's architecture


class Elf:
    def __init__(self, data):
        self.data = data
        assert data[:4] == b"\x7fELF" and data[4] == 2 and data[5] == 1, "ELF64 little-endian"
        (self.type, self.machine, _, self.entry, phoff, shoff, _, _, phentsize, phnum, shentsize, shnum,
         _) = struct.unpack_from("<HHIQQQIHHHHHH", data, 16)
        self.segments = [struct.unpack_from("<IIQQQQQQ", data, phoff + i * phentsize) for i in range(phnum)]
        self.sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
                         for i in range(shnum)] if shoff else []


@pytest.fixture(params=ARCHES)
def elf(request):
    path = ROOT / "dist" / f"bantam-{request.param}"
    return request.param, path, Elf(path.read_bytes())


def test_size_within_budget(elf):
    arch, path, _ = elf
    assert path.stat().st_size <= SIZE_LIMIT


def test_static_executable_for_its_machine(elf):
    arch, _, e = elf
    assert e.type == 2  # ET_EXEC: not PIE, nothing to relocate
    assert e.machine == MACHINE[PLATFORMS[arch][1].split("-")[0]]
    loads = [s for s in e.segments if s[0] == PT_LOAD]
    assert loads and any(s[3] <= e.entry < s[3] + s[6] and s[1] & PF_X for s in loads)


def test_no_interpreter_and_no_dynamic_section(elf):
    _, _, e = elf
    kinds = {s[0] for s in e.segments}
    assert PT_INTERP not in kinds and PT_DYNAMIC not in kinds
    section_kinds = {s[1] for s in e.sections}
    assert not section_kinds & {SHT_DYNAMIC, SHT_DYNSYM, SHT_REL, SHT_RELA}


def test_stack_is_not_executable(elf):
    _, _, e = elf
    stacks = [s for s in e.segments if s[0] == PT_GNU_STACK]
    assert len(stacks) == 1 and not stacks[0][1] & PF_X


def test_no_segment_is_writable_and_executable(elf):
    _, _, e = elf
    for seg in e.segments:
        assert seg[1] & 3 != 3, seg


def test_no_undefined_symbols(elf):
    # Read the linker's output before stripping: a weak undefined symbol would link
    # silently as address 0, and only the symbol table shows it.
    arch, _, _ = elf
    e = Elf((ROOT / "target" / PLATFORMS[arch][1] / "release" / "bantam").read_bytes())
    tables = [sh for sh in e.sections if sh[1] == SHT_SYMTAB]
    assert tables, "the unstripped binary has a symbol table"
    for sh in tables:
        offset, size, entsize = sh[4], sh[5], sh[9]
        assert size // entsize > 10  # bantam's own functions are there
        for i in range(1, size // entsize):
            _, _, _, shndx, _, _ = struct.unpack_from("<IBBHQQ", e.data, offset + i * entsize)
            assert shndx != 0, f"undefined symbol #{i}"


@pytest.mark.timeout(1000)
def test_rebuilding_gives_byte_identical_binaries(tmp_path):
    # A second clean build, in another target directory, must match dist/ byte for byte.
    env = dict(os.environ, CARGO_TARGET_DIR=str(tmp_path / "target"), BANTAM_DIST=str(tmp_path / "dist"))
    subprocess.run([str(ROOT / "scripts" / "build")], env=env, check=True, timeout=900, capture_output=True)
    for arch in ARCHES:
        first = (ROOT / "dist" / f"bantam-{arch}").read_bytes()
        second = (tmp_path / "dist" / f"bantam-{arch}").read_bytes()
        assert first == second, arch


@pytest.mark.timeout(700)
def test_plain_cargo_build_stops_with_a_hint(tmp_path):
    # Without scripts/build (no -Z build-std, no memcpy from compiler_builtins) the build
    # must stop at once with a pointer to the script, not fail later at the link.
    env = {k: v for k, v in os.environ.items() if k not in ("RUSTC_BOOTSTRAP", "BANTAM_BUILD_STD")}
    env["CARGO_TARGET_DIR"] = str(tmp_path / "target")
    r = subprocess.run(["cargo", "build", "--release", "--target", "x86_64-unknown-linux-musl"], cwd=ROOT,
                       env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode != 0
    errors = [line for line in r.stderr.splitlines() if line.startswith("error")]
    assert errors[0] == "error: build bantam with scripts/build (it rebuilds core with -Z build-std for memcpy/memset)"
    assert "linker" not in r.stderr and "undefined" not in r.stderr
