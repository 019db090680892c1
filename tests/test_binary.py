"""Properties of the built binaries (SPEC §7), read from the ELF file itself."""
import os
import re
import struct
import subprocess

import pytest

from conftest import ARCHES, CORE, PLATFORMS, ROOT

PT_LOAD, PT_DYNAMIC, PT_INTERP, PT_GNU_STACK = 1, 2, 3, 0x6474E551
PF_X = 1
SHT_SYMTAB, SHT_RELA, SHT_DYNAMIC, SHT_REL, SHT_DYNSYM = 2, 4, 6, 9, 11
ELF32, ELF64 = 1, 2
LSB, MSB = 1, 2

# What each platform's binary must be: ELF machine (e_machine), class, byte order, and its
# size budget in bytes. The goal is 8,192 everywhere; the others are today's ceilings.
EXPECTED = {
    "amd64": (62, ELF64, LSB, 8192),     # EM_X86_64
    "arm64": (183, ELF64, LSB, 8192),    # EM_AARCH64
    "386": (3, ELF32, LSB, 9216),        # EM_386
    "armv7": (40, ELF32, LSB, 8192),     # EM_ARM
    "armv6": (40, ELF32, LSB, 12288),    # EM_ARM
    "riscv64": (243, ELF64, LSB, 8192),  # EM_RISCV
    "ppc64le": (21, ELF64, LSB, 12288),  # EM_PPC64
    "s390x": (22, ELF64, MSB, 10240),    # EM_S390
    "loong64": (258, ELF64, LSB, 10240), # EM_LOONGARCH
}


class Elf:
    """The ELF header, program headers and section headers of a file, in its own class
    (ELF32 or ELF64) and byte order. Fields are named as in <elf.h>, less their prefixes."""

    def __init__(self, data):
        assert data[:4] == b"\x7fELF", "not an ELF file"
        self.data = data
        self.elfclass, self.byteorder = data[4], data[5]
        self.order = "<" if self.byteorder == LSB else ">"
        word = "Q" if self.elfclass == ELF64 else "I"
        (self.type, self.machine, _, self.entry, phoff, shoff, _, _, phentsize, phnum, shentsize, shnum,
         _) = self.unpack(f"HHI{word}{word}{word}IHHHHHH", 16)
        # p_type, p_flags, p_offset, p_vaddr, p_filesz, p_memsz (ELF32 keeps p_flags later).
        if self.elfclass == ELF64:
            self.segments = [self.unpack("IIQQ8xQQ", phoff + i * phentsize) for i in range(phnum)]
        else:
            self.segments = [(t, f, o, v, fs, ms) for t, o, v, fs, ms, f in
                             (self.unpack("IIIxxxxIII", phoff + i * phentsize) for i in range(phnum))]
        # sh_name, sh_type, sh_offset, sh_size, sh_entsize.
        section = "IIxxxxxxxxxxxxxxxxQQxxxxxxxxxxxxxxxxQ" if self.elfclass == ELF64 else "II8xII12xI"
        self.sections = [self.unpack(section, shoff + i * shentsize) for i in range(shnum)] if shoff else []

    def unpack(self, layout, offset):
        return struct.unpack_from(self.order + layout, self.data, offset)

    def symbols(self, table):
        """(st_shndx of each symbol of a SHT_SYMTAB section), the null symbol left out."""
        _, _, offset, size, entsize = table
        shndx_at = 14 if self.elfclass == ELF32 else 6
        return [self.unpack("H", offset + i * entsize + shndx_at)[0] for i in range(1, size // entsize)]


@pytest.fixture(params=ARCHES)
def elf(request):
    path = ROOT / "dist" / f"bantam-{request.param}"
    return request.param, path, Elf(path.read_bytes())


def test_size_within_budget(elf):
    arch, path, _ = elf
    assert path.stat().st_size <= EXPECTED[arch][3]


def test_static_executable_for_its_machine(elf):
    arch, _, e = elf
    assert (e.machine, e.elfclass, e.byteorder) == EXPECTED[arch][:3]
    assert e.type == 2  # ET_EXEC: not PIE, nothing to relocate
    loads = [s for s in e.segments if s[0] == PT_LOAD]
    # The entry may carry the Thumb bit (arm): the instruction is at the even address.
    assert loads and any(s[3] <= e.entry & ~1 < s[3] + s[4] and s[1] & PF_X for s in loads)


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
        shndx = e.symbols(sh)
        assert len(shndx) > 10  # bantam's own functions are there
        for i, index in enumerate(shndx, 1):
            assert index != 0, f"undefined symbol #{i}"


def test_every_platform_has_its_expectations():
    # A platform added to scripts/build's map needs its machine, class and budget here.
    assert set(PLATFORMS) <= set(EXPECTED)


def test_core_tests_exist():
    # The core platforms run the tests conftest.CORE names: a renamed test must not drop out.
    defined = set()
    for path in (ROOT / "tests").glob("test_*.py"):
        defined |= set(re.findall(r"^def (test_\w+)\(", path.read_text(), re.M))
    assert CORE <= defined, CORE - defined


@pytest.mark.timeout(2400)
def test_rebuilding_gives_byte_identical_binaries(rebuild):
    # A second clean build, from a clean clone in another folder, must match dist/ byte
    # for byte: every platform's binary, and the vm builds.
    built = sorted(p.name for p in (ROOT / "dist").glob("bantam-*"))
    assert built
    for name in built:
        assert (rebuild / "dist" / name).read_bytes() == (ROOT / "dist" / name).read_bytes(), name


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
