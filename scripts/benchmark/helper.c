/*
 * Timing helper for scripts/bench, compiled with gcc when the benchmark starts.
 *
 * Host side (no namespace):
 *   spawn ROUNDS NCMD ARGC1 ARG... ARGC2 ARG...
 *       Runs every command once per round, round-robin (the first command of round r is
 *       r mod NCMD, so no command always goes first), and prints "INDEX NANOSECONDS" per
 *       run: wall time from posix_spawn to the reaped exit. Any run that fails or takes
 *       longer than 10 s aborts the whole helper with exit 1.
 *   signals COUNT PID1 ACKFD1 PID2 ACKFD2 ...
 *       COUNT rounds; in each, for every PID in turn (the first one rotating from round
 *       to round): send SIGUSR1 to PID, read one byte from its ACKFD. One signal is in
 *       flight at a time. Prints "INDEX NANOSECONDS" per round trip.
 *
 * Program run by the init under test (as its child, inside the namespace):
 *   sleep FD CTLFD SECONDS     write "R" to FD, then block reading CTLFD until EOF.
 *   sigack FD SECONDS          block SIGUSR1 and SIGTERM, write "R" to FD, then write one
 *                              byte to FD per SIGUSR1; exit 0 on SIGTERM, 3 on SECONDS idle.
 *   orphans FD COUNT SECONDS   leave COUNT orphans to the init (each from an intermediate
 *                              child that forks it and exits at once), wait until /proc
 *                              shows no process but the init and itself, and write
 *                              "WALL_NS INIT_CPU_NS INIT_TICKS PEAK" to FD. PEAK is the
 *                              largest number of unreaped orphans seen, sampled every
 *                              SAMPLE_EVERY forks.
 * Every in-namespace mode is bounded by alarm(SECONDS) as well.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define SAMPLE_EVERY 250

static void die(const char *what) {
    fprintf(stderr, "bench-helper: %s: %s\n", what, strerror(errno));
    exit(1);
}

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void write_all(int fd, const char *buf, size_t len) {
    while (len) {
        ssize_t n = write(fd, buf, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            die("write");
        }
        buf += n;
        len -= (size_t)n;
    }
}

/* A clean signal state whatever the init left us: nothing blocked, default actions. */
static void reset_signals(unsigned seconds) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGALRM, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGUSR1, SIG_DFL);
    alarm(seconds);
}

/* ---- host side ---- */

static volatile sig_atomic_t timed_out;
static void on_alarm(int sig) { (void)sig; timed_out = 1; }

static int cmd_spawn(int argc, char **argv) {
    if (argc < 2) return 2;
    long rounds = atol(argv[0]);
    int ncmd = atoi(argv[1]);
    char **built[64];
    if (ncmd < 1 || ncmd > 64) return 2;
    int i = 2;
    for (int c = 0; c < ncmd; c++) {
        int n = i < argc ? atoi(argv[i]) : 0;
        if (n < 1 || i + 1 + n > argc) return 2;
        built[c] = calloc((size_t)n + 1, sizeof(char *)); /* NULL-terminated copy */
        if (!built[c]) die("calloc");
        memcpy(built[c], &argv[i + 1], (size_t)n * sizeof(char *));
        i += 1 + n;
    }
    if (i != argc) return 2;
    struct sigaction sa = {0};
    sa.sa_handler = on_alarm; /* no SA_RESTART: waitpid returns EINTR on timeout */
    sigaction(SIGALRM, &sa, NULL);
    for (long r = 0; r < rounds; r++) {
        for (int k = 0; k < ncmd; k++) {
            int c = (int)((r + k) % ncmd);
            pid_t pid;
            uint64_t t0 = now_ns();
            int err = posix_spawn(&pid, built[c][0], NULL, NULL, built[c], environ);
            if (err) {
                errno = err;
                die(built[c][0]);
            }
            alarm(10);
            int status;
            while (waitpid(pid, &status, 0) < 0) {
                if (errno != EINTR) die("waitpid");
                if (timed_out) {
                    kill(pid, SIGKILL);
                    waitpid(pid, &status, 0);
                    fprintf(stderr, "bench-helper: %s timed out\n", built[c][0]);
                    return 1;
                }
            }
            uint64_t t1 = now_ns();
            alarm(0);
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                fprintf(stderr, "bench-helper: command %d failed (status 0x%x)\n", c, status);
                return 1;
            }
            printf("%d %llu\n", c, (unsigned long long)(t1 - t0));
        }
    }
    return 0;
}

static int cmd_signals(int argc, char **argv) {
    if (argc < 3 || argc % 2 != 1) return 2;
    long count = atol(argv[0]);
    int n = (argc - 1) / 2;
    pid_t pid[32];
    int ack[32];
    if (n > 32) return 2;
    for (int k = 0; k < n; k++) {
        pid[k] = (pid_t)atol(argv[1 + 2 * k]);
        ack[k] = atoi(argv[2 + 2 * k]);
    }
    uint64_t *rtt = calloc((size_t)(count * n), sizeof *rtt);
    if (!rtt) die("calloc");
    alarm(120); /* default action: the whole helper ends if an ack never comes */
    for (long i = 0; i < count; i++) {
        for (int j = 0; j < n; j++) {
            int k = (int)((i + j) % n);
            char b;
            uint64_t t0 = now_ns();
            if (kill(pid[k], SIGUSR1) < 0) die("kill");
            ssize_t got;
            while ((got = read(ack[k], &b, 1)) < 0 && errno == EINTR) {}
            if (got != 1) {
                if (got == 0) errno = EPIPE;
                die("read ack");
            }
            rtt[i * n + k] = now_ns() - t0;
        }
    }
    for (long i = 0; i < count; i++)
        for (int k = 0; k < n; k++) printf("%d %llu\n", k, (unsigned long long)rtt[i * n + k]);
    return 0;
}

/* ---- in the namespace ---- */

static int cmd_sleep(int argc, char **argv) {
    if (argc != 3) return 2;
    int fd = atoi(argv[0]), ctl = atoi(argv[1]);
    reset_signals((unsigned)atoi(argv[2]));
    write_all(fd, "R", 1);
    char buf[64];
    ssize_t n;
    while ((n = read(ctl, buf, sizeof buf)) != 0) {
        if (n < 0 && errno != EINTR) die("read");
    }
    return 0;
}

static int cmd_sigack(int argc, char **argv) {
    if (argc != 2) return 2;
    int fd = atoi(argv[0]);
    unsigned seconds = (unsigned)atoi(argv[1]);
    reset_signals(seconds * 4);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGTERM);
    sigprocmask(SIG_BLOCK, &set, NULL);
    write_all(fd, "R", 1);
    struct timespec idle = {.tv_sec = seconds, .tv_nsec = 0};
    for (;;) {
        int sig = sigtimedwait(&set, NULL, &idle);
        if (sig == SIGUSR1) {
            write_all(fd, "a", 1);
        } else if (sig == SIGTERM) {
            return 0;
        } else if (sig < 0 && errno == EAGAIN) {
            return 3;
        } else if (sig < 0 && errno != EINTR) {
            die("sigtimedwait");
        }
    }
}

/* Processes in this namespace's /proc (mounted by unshare --mount-proc). */
static long count_processes(void) {
    DIR *d = opendir("/proc");
    if (!d) die("opendir /proc");
    long n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] >= '1' && e->d_name[0] <= '9') n++;
    }
    closedir(d);
    return n;
}

/* The init's CPU time: nanoseconds on CPU from /proc/1/schedstat, and utime+stime in
   clock ticks from /proc/1/stat. */
static void init_cpu(uint64_t *ns, uint64_t *ticks) {
    char buf[1024];
    int fd = open("/proc/1/schedstat", O_RDONLY);
    if (fd < 0) die("open /proc/1/schedstat");
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) die("read /proc/1/schedstat");
    buf[n] = 0;
    *ns = strtoull(buf, NULL, 10);
    fd = open("/proc/1/stat", O_RDONLY);
    if (fd < 0) die("open /proc/1/stat");
    n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) die("read /proc/1/stat");
    buf[n] = 0;
    char *p = strrchr(buf, ')'); /* fields after the command name; utime is field 14 */
    if (!p) return;
    p += 2;
    for (int field = 3; field < 14; field++) {
        p = strchr(p, ' ');
        if (!p) return;
        p++;
    }
    char *end;
    uint64_t ut = strtoull(p, &end, 10);
    uint64_t st = strtoull(end, NULL, 10);
    *ticks = ut + st;
}

static int cmd_orphans(int argc, char **argv) {
    if (argc != 3) return 2;
    int fd = atoi(argv[0]);
    long count = atol(argv[1]);
    reset_signals((unsigned)atoi(argv[2]));
    if (getppid() != 1) {
        fprintf(stderr, "bench-helper: orphans must run as the child of a namespace init\n");
        return 1;
    }
    long base = count_processes(); /* the init and this process */
    long peak = 0;
    uint64_t cpu0, cpu1, tick0 = 0, tick1 = 0;
    init_cpu(&cpu0, &tick0);
    uint64_t t0 = now_ns();
    for (long i = 0; i < count; i++) {
        pid_t mid = fork();
        if (mid < 0) die("fork");
        if (mid == 0) {
            /* The intermediate: its child outlives it and is handed to the init. */
            pid_t g = fork();
            if (g == 0) _exit(0);
            _exit(g < 0 ? 1 : 0);
        }
        int status;
        if (waitpid(mid, &status, 0) < 0) die("waitpid");
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "bench-helper: fork of an orphan failed\n");
            return 1;
        }
        if (i % SAMPLE_EVERY == SAMPLE_EVERY - 1) {
            long left = count_processes() - base;
            if (left > peak) peak = left;
        }
    }
    /* Now wait for the init to reap what is left: no process but the init and us. */
    struct timespec tick = {.tv_sec = 0, .tv_nsec = 50000};
    for (;;) {
        long left = count_processes() - base;
        if (left > peak) peak = left;
        if (left <= 0) break;
        nanosleep(&tick, NULL);
    }
    uint64_t t1 = now_ns();
    init_cpu(&cpu1, &tick1);
    char line[128];
    int len = snprintf(line, sizeof line, "%llu %llu %llu %ld\n", (unsigned long long)(t1 - t0),
                       (unsigned long long)(cpu1 - cpu0), (unsigned long long)(tick1 - tick0), peak);
    write_all(fd, line, (size_t)len);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: bench-helper spawn|signals|sleep|sigack|orphans ARGS...\n");
        return 2;
    }
    const char *mode = argv[1];
    argc -= 2;
    argv += 2;
    int rc = 2;
    if (!strcmp(mode, "spawn")) rc = cmd_spawn(argc, argv);
    else if (!strcmp(mode, "signals")) rc = cmd_signals(argc, argv);
    else if (!strcmp(mode, "sleep")) rc = cmd_sleep(argc, argv);
    else if (!strcmp(mode, "sigack")) rc = cmd_sigack(argc, argv);
    else if (!strcmp(mode, "orphans")) rc = cmd_orphans(argc, argv);
    if (rc == 2) fprintf(stderr, "bench-helper: bad arguments for %s\n", mode);
    return rc;
}
