#!/usr/bin/env python3
"""bantam's benchmark: bantam and other container inits, side by side, each as PID 1 of a
fresh PID namespace. Run it through scripts/bench, which installs what it needs first.

Prints a Markdown table on stdout; a full run (no --quick) also writes BENCHMARKS.md.
Every process it starts is bounded in time: the namespaces run under
`unshare --kill-child`, so killing the unshare process (by pid) ends the init and all it
left; the helper bounds itself with alarm(); every wait here has a timeout.
"""
import argparse
import datetime
import os
import platform
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HELPER_SRC = ROOT / "scripts" / "benchmark" / "helper.c"
HELPER = ROOT / "target" / "bench" / "bench-helper"
UNSHARE = shutil.which("unshare") or "/usr/bin/unshare"
NAMESPACE = [UNSHARE, "--pid", "--fork", "--kill-child", "--mount-proc"]
TRUE = shutil.which("true") or "/bin/true"
WAIT = 30  # seconds: the longest any single wait here may take

FULL = dict(startup=1000, signal_rounds=4, signals=500, idle_rounds=3, idle_window=5.0,
            reap_rounds=5, orphans=20000)
QUICK = dict(startup=60, signal_rounds=1, signals=200, idle_rounds=1, idle_window=1.0,
             reap_rounds=1, orphans=2000)


class Init:
    def __init__(self, name, path, args):
        self.name, self.path, self.args = name, str(path), list(args)

    def argv(self, *program):
        return [self.path, *self.args, *map(str, program)]


def inits():
    arch = {"x86_64": "amd64", "aarch64": "arm64"}[platform.machine()]
    return [
        Init("bantam", ROOT / "dist" / f"bantam-{arch}", ["--"]),
        Init("tini", "/usr/bin/tini", ["--"]),
        Init("tini-static", "/usr/bin/tini-static", ["--"]),
        Init("dumb-init", "/usr/bin/dumb-init", []),
        Init("catatonit", "/usr/bin/catatonit", ["--"]),
    ]


def log(*words):
    print("bench:", *words, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- ELF facts

def elf_facts(path):
    """Size in bytes and linkage: 'static', 'static-pie', or 'dynamic (NEEDED libs)'."""
    data = Path(path).read_bytes()
    if data[:4] != b"\x7fELF" or data[4] != 2:
        return len(data), "not a 64-bit ELF"
    end = "<" if data[5] == 1 else ">"
    phoff, = struct.unpack_from(end + "Q", data, 0x20)
    phentsize, phnum = struct.unpack_from(end + "HH", data, 0x36)
    phdrs = [struct.unpack_from(end + "IIQQQQQQ", data, phoff + i * phentsize) for i in range(phnum)]
    loads = [(p[3], p[2], p[5]) for p in phdrs if p[0] == 1]  # (vaddr, offset, filesz)
    interp = any(p[0] == 3 for p in phdrs)
    dynamic = [p for p in phdrs if p[0] == 2]
    if not interp:
        return len(data), "static-pie" if dynamic else "static"

    def file_offset(vaddr):
        for va, off, size in loads:
            if va <= vaddr < va + size:
                return off + vaddr - va
        return None

    needed, strtab = [], None
    off, size = dynamic[0][2], dynamic[0][5]
    for i in range(0, size, 16):
        tag, val = struct.unpack_from(end + "qQ", data, off + i)
        if tag == 0:
            break
        if tag == 1:
            needed.append(val)
        elif tag == 5:
            strtab = file_offset(val)
    names = []
    if strtab is not None:
        for n in needed:
            s = strtab + n
            names.append(data[s:data.index(b"\0", s)].decode())
    return len(data), "dynamic (" + ", ".join(names) + ")" if names else "dynamic"


# ---------------------------------------------------------------- namespaces

LIVE = []  # Namespace objects not yet reaped, for the cleanup in main()


class Namespace:
    """`unshare ... INIT [--] bench-helper MODE ...`, with the fds the helper needs."""

    def __init__(self, init, mode_args, pass_fds):
        argv = NAMESPACE + init.argv(HELPER, *mode_args)
        self.init = init
        self.proc = subprocess.Popen(argv, pass_fds=pass_fds, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL)
        LIVE.append(self)
        self.init_pid = None

    def find_init(self):
        """The init's host pid: the only child of the unshare process."""
        upid = self.proc.pid
        children = Path(f"/proc/{upid}/task/{upid}/children").read_text().split()
        if len(children) != 1:
            raise RuntimeError(f"{self.init.name}: unshare has children {children}")
        pid = int(children[0])
        exe = os.readlink(f"/proc/{pid}/exe")
        if os.path.realpath(exe) != os.path.realpath(self.init.path):
            raise RuntimeError(f"{self.init.name}: pid {pid} runs {exe}, not the init")
        self.init_pid = pid
        return pid

    def finish(self, timeout=WAIT):
        """Waits for the namespace to end; kills it (by the unshare pid) past the timeout."""
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            log(f"{self.init.name}: namespace still running after {timeout}s, killing it")
            self.kill()
            rc = None
        if self in LIVE:
            LIVE.remove(self)
        return rc

    def kill(self):
        """SIGKILL to the init ends its namespace and lets unshare exit; without a known
        init pid, SIGKILL to unshare does the same through --kill-child."""
        if self.proc.poll() is None:
            # While unshare runs, its child's pid cannot have been reused.
            os.kill(self.init_pid or self.proc.pid, signal.SIGKILL)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
        try:
            self.proc.wait(WAIT)
        except subprocess.TimeoutExpired:
            log(f"pid {self.proc.pid} did not die")
        if self in LIVE:
            LIVE.remove(self)


def read_exactly(fd, count, timeout=WAIT):
    """Reads count bytes from fd, or raises after timeout seconds."""
    deadline = time.monotonic() + timeout
    out = b""
    while len(out) < count:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise TimeoutError("no answer from the program under the init")
        chunk = os.read(fd, count - len(out))
        if not chunk:
            raise EOFError("the program under the init went away")
        out += chunk
    return out


def read_to_eof(fd, timeout):
    deadline = time.monotonic() + timeout
    out = b""
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise TimeoutError("no result from the program under the init")
        chunk = os.read(fd, 4096)
        if not chunk:
            return out
        out += chunk


def proc_status(pid):
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.split()
    return fields


def rotated(items, k):
    k %= len(items)
    return items[k:] + items[:k]


# ---------------------------------------------------------------- measurements

def measure_startup(all_inits, rounds):
    """Median wall time of `unshare ... INIT -- true` and of `unshare ... true`."""
    cmds = [NAMESPACE + [TRUE]] + [NAMESPACE + i.argv(TRUE) for i in all_inits]

    def run(n):
        argv = [str(HELPER), "spawn", str(n), str(len(cmds))]
        for c in cmds:
            argv += [str(len(c)), *c]
        out = subprocess.run(argv, capture_output=True, text=True, timeout=60 + n * len(cmds))
        if out.returncode != 0:
            raise RuntimeError("startup runs failed: " + out.stderr.strip())
        times = [[] for _ in cmds]
        for line in out.stdout.split("\n"):
            if line:
                idx, ns = line.split()
                times[int(idx)].append(int(ns))
        return times

    run(max(5, rounds // 50))  # warm-up: page cache, dentries
    times = run(rounds)
    direct = statistics.median(times[0]) / 1000
    result = {}
    for init, t in zip(all_inits, times[1:]):
        med = statistics.median(t) / 1000
        result[init.name] = dict(startup_us=med, overhead_us=med - direct, ratio=med / direct)
    return direct, result


def measure_idle(all_inits, rounds, window):
    """VmRSS/VmHWM of each init and its context switches over `window` seconds while its
    child blocks in read(2). All inits sit in their own namespaces at the same time, so
    every window sees the same machine."""
    result = {i.name: dict(rss_kb=0, hwm_kb=0, ctxsw=0) for i in all_inits}
    for r in range(rounds):
        running = []
        try:
            for init in rotated(all_inits, r):
                ready_r, ready_w = os.pipe()
                ctl_r, ctl_w = os.pipe()
                ns = Namespace(init, ["sleep", ready_w, ctl_r, int(window * 4 + WAIT)],
                               [ready_w, ctl_r])
                os.close(ready_w)
                os.close(ctl_r)
                running.append((init, ns, ready_r, ctl_w))
            for init, ns, ready_r, _ in running:
                if read_exactly(ready_r, 1) != b"R":
                    raise RuntimeError(f"{init.name}: bad ready byte")
                ns.find_init()
            time.sleep(0.5)  # let every init reach its wait before the window opens

            def switches(pid):
                st = proc_status(pid)
                return int(st["voluntary_ctxt_switches"][0]) + int(st["nonvoluntary_ctxt_switches"][0])

            before = {init.name: switches(ns.init_pid) for init, ns, _, _ in running}
            for init, ns, _, _ in running:
                st = proc_status(ns.init_pid)
                res = result[init.name]
                res["rss_kb"] = max(res["rss_kb"], int(st["VmRSS"][0]))
                res["hwm_kb"] = max(res["hwm_kb"], int(st["VmHWM"][0]))
            time.sleep(window)
            for init, ns, _, _ in running:
                result[init.name]["ctxsw"] += switches(ns.init_pid) - before[init.name]
        finally:
            for init, ns, ready_r, ctl_w in running:
                os.close(ctl_w)  # EOF: the child exits, then the init
                os.close(ready_r)
            for init, ns, _, _ in running:
                rc = ns.finish()
                if rc != 0:
                    log(f"{init.name}: idle namespace exited {rc}")
    return result


def measure_signals(all_inits, rounds, count):
    """Round trip of SIGUSR1: host -> init's host pid -> child, child acks on a pipe.
    Every init sits in its own namespace at the same time and the signals go to them in
    turn, one in flight at a time, so that all see the same state of the machine. Also
    the init's own CPU time per forwarded signal, from /proc/PID/schedstat."""
    warmup = 20
    rtts = {i.name: [] for i in all_inits}
    cpu = {i.name: [] for i in all_inits}
    for r in range(rounds):
        running = []
        ok = False
        try:
            for init in rotated(all_inits, r):
                ack_r, ack_w = os.pipe()
                ns = Namespace(init, ["sigack", ack_w, WAIT + count // 100], [ack_w])
                os.close(ack_w)
                running.append((init, ns, ack_r))
            for init, ns, ack_r in running:
                if read_exactly(ack_r, 1) != b"R":
                    raise RuntimeError(f"{init.name}: bad ready byte")
                ns.find_init()

            def drive(n):
                argv = [str(HELPER), "signals", str(n)]
                for _, ns, ack_r in running:
                    argv += [str(ns.init_pid), str(ack_r)]
                out = subprocess.run(argv, pass_fds=[a for _, _, a in running], capture_output=True,
                                     text=True, timeout=WAIT * 4)
                if out.returncode != 0:
                    raise RuntimeError(f"signal driver failed: {out.stderr.strip()}")
                return [tuple(map(int, line.split())) for line in out.stdout.splitlines()]

            drive(warmup)
            before = [on_cpu_ns(ns.init_pid) for _, ns, _ in running]
            for k, ns_ in drive(count):
                rtts[running[k][0].name].append(ns_ / 1000)
            for (init, ns, _), b in zip(running, before):
                cpu[init.name].append((on_cpu_ns(ns.init_pid) - b) / count / 1000)
            for init, ns, _ in running:
                os.kill(ns.init_pid, signal.SIGTERM)  # forwarded: the child exits 0, then the init
            ok = True
        finally:
            for init, ns, ack_r in running:
                os.close(ack_r)
                rc = ns.finish() if ok else ns.kill()
                if rc != 0:
                    log(f"{init.name}: signal namespace exited {rc}")
    return {name: dict(sig_median_us=statistics.median(v), sig_p99_us=percentile(v, 99),
                       sig_cpu_us=statistics.median(cpu[name]), signals=len(v))
            for name, v in rtts.items()}


def on_cpu_ns(pid):
    """Time the process has spent on a CPU, in nanoseconds."""
    return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])


def measure_reaping(all_inits, rounds, orphans):
    """The child leaves `orphans` orphans to the init and waits until all are reaped."""
    runs = {i.name: [] for i in all_inits}
    for r in range(rounds):
        for init in rotated(all_inits, r):
            res_r, res_w = os.pipe()
            limit = 120 + orphans // 100
            ns = Namespace(init, ["orphans", res_w, orphans, limit], [res_w])
            os.close(res_w)
            try:
                line = read_to_eof(res_r, limit + 10).decode().split()
                if len(line) != 4:
                    raise RuntimeError(f"{init.name}: orphans run gave no result")
                wall, cpu, ticks, peak = map(int, line)
                runs[init.name].append((wall, cpu, ticks, peak))
                rc = ns.finish()
                if rc != 0:
                    log(f"{init.name}: orphans namespace exited {rc}")
            finally:
                os.close(res_r)
                ns.kill()
    result = {}
    for name, v in runs.items():
        result[name] = dict(
            reap_wall_ms=statistics.median(x[0] for x in v) / 1e6,
            reap_cpu_us=statistics.median(x[1] / orphans for x in v) / 1000,
            reap_ticks=statistics.median(x[2] for x in v),
            reap_peak=max(x[3] for x in v),
        )
    return result


def percentile(values, p):
    s = sorted(values)
    k = max(0, -(-len(s) * p // 100) - 1)  # nearest-rank
    return s[int(k)]


# ---------------------------------------------------------------- report

def machine_facts():
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    os_name = "unknown"
    for line in Path("/etc/os-release").read_text().splitlines():
        if line.startswith("PRETTY_NAME="):
            os_name = line.split("=", 1)[1].strip('"')
    return dict(kernel=platform.release(), cpu=cpu, cores=os.cpu_count(), os=os_name,
                arch=platform.machine())


def versions():
    out = subprocess.run(["dpkg-query", "-W", "-f", "${Package} ${Version}\\n", "tini", "dumb-init",
                          "catatonit", "util-linux"], capture_output=True, text=True, timeout=WAIT)
    pkgs = dict(line.split(" ", 1) for line in out.stdout.splitlines() if " " in line)
    rev = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
                         capture_output=True, text=True, timeout=WAIT).stdout.strip()
    return pkgs, rev or "unknown"


def fmt(x, digits=1):
    return f"{x:,.{digits}f}"


def table(all_inits, facts, cfg):
    head = ["init", "size (bytes)", "linkage", "startup+teardown overhead (µs)", "× direct run",
            "VmRSS (kB)", "VmHWM (kB)", f"idle ctx switches ({fmt(cfg['idle_rounds'] * cfg['idle_window'], 0)} s)",
            "signal RTT median (µs)", "signal RTT p99 (µs)", "init CPU per signal (µs)", f"reap {cfg['orphans']:,} orphans (ms)",
            "init CPU per orphan (µs)", "peak unreaped"]
    rows = []
    for init in all_inits:
        f = facts[init.name]
        rows.append([f"**{init.name}**" if init.name == "bantam" else init.name, f"{f['size']:,}", f["linkage"],
                     fmt(f["overhead_us"], 0), f"{f['ratio']:.2f}", str(f["rss_kb"]), str(f["hwm_kb"]),
                     str(f["ctxsw"]), fmt(f["sig_median_us"]), fmt(f["sig_p99_us"]), fmt(f["sig_cpu_us"], 2),
                     fmt(f["reap_wall_ms"], 0),
                     fmt(f["reap_cpu_us"], 2), f"{f['reap_peak']:,}"])
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" if i < 3 else "---:" for i in range(len(head))) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def goals(facts):
    """Each goal: (statement, measured value, met?) — computed from this run only."""
    me = facts["bantam"]
    peers = {k: v for k, v in facts.items() if k != "bantam"}

    def best(key):
        name = min(peers, key=lambda k: peers[k][key])
        return name, peers[name][key]

    out = [
        ("binary size <= 4,096 bytes", f"{me['size']:,} bytes", me["size"] <= 4096),
        ("VmRSS <= 16 kB while the child runs", f"{me['rss_kb']} kB", me["rss_kb"] <= 16),
        ("0 wake-ups while idle (context switches in the idle windows)", f"{me['ctxsw']}", me["ctxsw"] == 0),
    ]
    name, val = best("overhead_us")
    out.append((f"startup+teardown overhead <= half the best peer's ({name}: {fmt(val, 0)} µs, half "
                f"{fmt(val / 2, 0)} µs)", f"{fmt(me['overhead_us'], 0)} µs", me["overhead_us"] <= val / 2))
    name, val = best("sig_median_us")
    out.append((f"signal round trip (median) no worse than the best peer's ({name}: {fmt(val)} µs)",
                f"{fmt(me['sig_median_us'])} µs", me["sig_median_us"] <= val))
    name, val = best("reap_cpu_us")
    out.append((f"init CPU per reaped orphan no worse than the best peer's ({name}: {fmt(val, 2)} µs)",
                f"{fmt(me['reap_cpu_us'], 2)} µs", me["reap_cpu_us"] <= val))
    lines = ["| goal | measured | |", "|---|---:|---|"]
    lines += [f"| {g} | {m} | {'met' if ok else '**missed**'} |" for g, m, ok in out]
    return "\n".join(lines)


def platform_sizes():
    """The size of each platform's stripped binary in dist/ (those built), by the build map."""
    lines = ["| platform | binary | bytes |", "|---|---|---:|"]
    for line in (ROOT / "scripts" / "platforms").read_text().splitlines():
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        path = ROOT / "dist" / f"bantam-{words[0]}"
        if path.exists():
            lines.append(f"| {words[1]} | `dist/{path.name}` | {path.stat().st_size:,} |")
    return "\n".join(lines)


def loadavg():
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def report(all_inits, facts, cfg, direct_us, machine, pkgs, rev, started, took, load, quick):
    peer_versions = ", ".join(f"{p} {pkgs[p]}" for p in ("tini", "dumb-init", "catatonit") if p in pkgs)
    ns = " ".join(["unshare"] + NAMESPACE[1:])
    return f"""# Benchmarks

Produced by `scripts/bench`{' --quick' if quick else ''} on {started:%Y-%m-%d} (UTC), bantam at `{rev}`;
the run took {took:.0f} s. Load average (1, 5, 15 min) before: {load[0]}, after: {load[1]}
(other work on the machine during the run shows here, and moves the timings).

Machine: {machine['os']}, Linux {machine['kernel']} ({machine['arch']}), {machine['cpu']},
{machine['cores']} cores. Other inits from Debian packages: {peer_versions}
(`tini-static` is the static build shipped in the `tini` package).

{table(all_inits, facts, cfg)}

Direct run without an init (`{ns} true`): {fmt(direct_us, 0)} µs (median).

## Goals

{goals(facts)}

## Size per platform

The stripped binaries `scripts/build` puts in `dist/` (the table above measures this
machine's own); each platform's budget is checked by `tests/test_binary.py`.

{platform_sizes()}

## Method

- Every init runs as PID 1 of a fresh PID namespace: `{ns} INIT [--] PROGRAM`
  (`--kill-child` only makes sure that nothing outlives the benchmark). Each init gets its
  usual command line: `tini -- P`, `dumb-init P`, `catatonit -- P`, `bantam -- P`. The
  program under the init is a small C helper (`scripts/benchmark/helper.c`, built with gcc at run time).
  Measurements are interleaved: every round runs every init once, and the init that goes
  first rotates from round to round, so that drift of the machine hits all alike.
- **size, linkage**: the file's size; linkage from its ELF program headers (PT_INTERP
  present = dynamic, with its DT_NEEDED libraries, whose size is not counted).
- **startup+teardown**: wall time from posix_spawn to the reaped exit of
  `{ns} INIT -- true`, minus the same without an init; medians over
  {cfg['startup']} runs each (after a warm-up). "× direct run" is the ratio of the two medians.
- **VmRSS, VmHWM**: from `/proc/PID/status` of the init while its child blocks in read(2);
  the largest value seen over the idle rounds (where the kernel places the initial stack
  varies from run to run, so a page more or less of stack can be resident).
- **idle ctx switches**: voluntary + involuntary context switches of the init
  (`/proc/PID/status`) over {cfg['idle_rounds']} window(s) of {fmt(cfg['idle_window'], 0)} s while its child blocks,
  starting 0.5 s after the child is up; all inits idle side by side in the same windows.
  An init that sleeps without a timeout scores 0.
- **signal RTT**: the host sends SIGUSR1 to the init's host pid; the init forwards it; the
  child (blocked in sigtimedwait) writes one byte to a pipe the host reads. All inits run
  side by side, each in its own namespace, and get the signals in turn, one signal in
  flight at a time; {cfg['signal_rounds']} round(s) of fresh namespaces × {cfg['signals']} signals per init, after 20 warm-up
  signals each; median and p99 (nearest rank). **init CPU per signal** is the init's
  on-CPU time (`/proc/PID/schedstat`, nanoseconds) over the measured signals, divided by
  their number (median over rounds): the init's own cost, which does not depend on how fast
  the machine wakes an idle CPU.
- **reaping**: the child forks {cfg['orphans']:,} intermediates, one after another, each of which
  forks a grandchild and exits at once, so the grandchildren are orphaned to the init. It then
  waits until its namespace's /proc shows no process but the init and itself. Wall time
  covers forking and reaping; init CPU is the init's on-CPU time from `/proc/1/schedstat`
  (nanoseconds) over the same span, divided by the number of orphans. Peak unreaped is the
  largest count of leftover processes, sampled every 250 forks and while waiting. Median
  over {cfg['reap_rounds']} run(s) per init; peak is the maximum.
- On a virtual machine the signal round trip is dominated by how fast an idle virtual CPU
  is woken, which changes over time (the same machine gave medians from about 14 to 50 µs
  in different runs). Compare inits within one table, not across tables; differences of a
  few µs are within that noise, and so are differences of about 1 µs in CPU per orphan.
- The init's host pid is the only child of the `unshare` process
  (`/proc/PID/task/PID/children`), read after the program under the init has written
  its ready byte; no sleep is used for synchronisation.
"""


def build_helper():
    HELPER.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["gcc", "-O2", "-Wall", "-static", "-o", str(HELPER), str(HELPER_SRC)],
                   check=True, timeout=120)


def main():
    ap = argparse.ArgumentParser(description="Benchmark bantam against other container inits.")
    ap.add_argument("--quick", action="store_true", help="small counts, for development; writes no file")
    ap.add_argument("--output", default=str(ROOT / "BENCHMARKS.md"),
                    help="where a full run writes its report (default: BENCHMARKS.md)")
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench: needs root (PID namespaces)")
    cfg = QUICK if args.quick else FULL
    started = datetime.datetime.now(datetime.timezone.utc)
    all_inits = inits()
    for init in all_inits:
        if not os.access(init.path, os.X_OK):
            sys.exit(f"bench: {init.path} is missing")
    build_helper()
    facts = {}
    for init in all_inits:
        size, linkage = elf_facts(init.path)
        facts[init.name] = dict(size=size, linkage=linkage)
    try:
        t = time.monotonic()
        load = [loadavg()]
        log(f"startup+teardown: {cfg['startup']} rounds")
        direct_us, res = measure_startup(all_inits, cfg["startup"])
        for k, v in res.items():
            facts[k].update(v)
        log(f"idle: {cfg['idle_rounds']} x {cfg['idle_window']} s")
        for k, v in measure_idle(all_inits, cfg["idle_rounds"], cfg["idle_window"]).items():
            facts[k].update(v)
        log(f"signals: {cfg['signal_rounds']} x {cfg['signals']}")
        for k, v in measure_signals(all_inits, cfg["signal_rounds"], cfg["signals"]).items():
            facts[k].update(v)
        log(f"reaping: {cfg['reap_rounds']} x {cfg['orphans']} orphans")
        for k, v in measure_reaping(all_inits, cfg["reap_rounds"], cfg["orphans"]).items():
            facts[k].update(v)
        took = time.monotonic() - t
        load.append(loadavg())
        log(f"done in {took:.0f} s")
    finally:
        for ns in list(LIVE):
            ns.kill()
    pkgs, rev = versions()
    text = report(all_inits, facts, cfg, direct_us, machine_facts(), pkgs, rev, started, took, load, args.quick)
    print(table(all_inits, facts, cfg))
    print()
    print(goals(facts))
    if not args.quick:
        Path(args.output).write_text(text)
        log(f"wrote {args.output}")


if __name__ == "__main__":
    main()
