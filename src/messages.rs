// The texts of bantam's messages. Included twice: by lib.rs, where the tests read them and
// the version constants are built from the same literals, and by build.rs, which packs
// them into the table the binary carries (see msg.rs: the texts of a few KB of messages
// are a tenth of the binary, and they pack to about three quarters).

// What bantam prints when asked, as string literals without the newline. The license
// follows `bantam: `, which is added as to every line of level 0.
macro_rules! version_line {
    () => {
        "bantam 0.1.0 - git.bantam010"
    };
}
macro_rules! tini_version_line {
    () => {
        "tini version 0.19.0 - git.bantam010"
    };
}
macro_rules! license {
    () => {
        "MIT OR Apache-2.0"
    };
}

/// The templates of bantam's messages, in the order of msg.rs's `Msg`, each after the
/// verbosity that shows it as one byte (0 always, 1 warnings, 2 info, 3 debug; 4 for what
/// bantam was asked to print, without the `bantam: ` prefix that the others get, so the
/// license line, which has it, is of level 0), which also ends the template before it.
/// Placeholders: see msg.rs's `format`. No template ends with `%`, and the newline that
/// ends every line is added when it is written. Every byte is ASCII: the packed form uses
/// the bytes above 0x7f for pairs.
pub const TEMPLATES: &str = concat!(
    "\x04usage: %s [-%s] [--] PROGRAM [ARG]...%+",
    // bantam's own options, after the usage line of its `--help`. Tabs align the columns
    // (stops every 8) at a byte each, where spaces would pad them.
    "\x04\n-g --group\t\tBANTAM_GROUP=1\t\tsignal the child's process group
-a --all\t\tBANTAM_ALL=1\t\tsignal every process
-s --subreaper\t\tBANTAM_SUBREAPER=1\t(automatic unless PID 1)
-p --pdeathsig SIG\tBANTAM_PDEATHSIG\tact on SIG when the parent dies
-r --rewrite F:T\tBANTAM_REWRITE\t\tforward F as T (T 0: drop)
-e --remap-exit N\tBANTAM_REMAP_EXIT\texit 0 instead of N
-t --grace TIME\t\tBANTAM_GRACE\t\tSIGKILL TIME after TERM/INT/QUIT
-d --drain\t\tBANTAM_DRAIN=1\t\tstop the rest when PROGRAM exits
-v --verbose, -q --quiet\tBANTAM_VERBOSITY=0..3
-P --pause (no PROGRAM), -V --version, -h --help",
    "\x04",
    version_line!(),
    "\x04",
    tini_version_line!(),
    "\0",
    license!(),
    // Usage errors; their texts are the argument that holds the option (for a bad value,
    // else empty) and the argument, value or environment entry at fault.
    "\0unknown option: %s%s",
    "\0option needs a value: %s%s",
    "\0option takes no value: %s%s",
    "\0--pause takes no program",
    "\0no program to run",
    "\0bad value in the environment: %s%s",
    // Bad values, quoted so that an empty one shows.
    "\0%s: not a signal bantam can take: '%s'",
    "\0%s: bad duration: '%s'",
    "\0%s: bad rewrite (want FROM:TO): '%s'",
    "\0%s: bad exit code: '%s'",
    "\x02started %s as pid %d",
    "\0exec %s: %E",
    "\0clone: %E",
    "\0pdeathsig: %E",
    "\x01warning: cannot become a subreaper: %E",
    "\x01warning: grace window over: SIGKILL",
    "\x01warning: drain window over: SIGKILL to %d processes",
    "\x01warning: reaped zombie %d",
    "\x02child exited with %d",
    "\x02child killed by %S",
    "\x02child killed by %S (core dumped)",
    "\x02orphans reaped: %d",
    "\x03dropping %S",
    "\x03forwarding %S to %d",
);

/// VM mode's templates, after the others in the same form; packed with them only in a
/// build with the `vm` feature. The first two are the fixed line a host parses: the
/// program's status as `exit status N` or `killed by SIGNAME (128+N)`.
pub const VM_TEMPLATES: &str = concat!(
    "\x01exit status %d",
    "\x01killed by %S (%d)",
    "\x01warning: mount %s: %E",
    "\0reboot: %E",
);
