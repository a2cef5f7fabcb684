/*
 * drover-launch: starts the agent's process tasks with one exec each (agent/README.md, "The native launcher").
 *
 * The agent starts one launcher and talks to it over the launcher's stdin (requests) and stdout
 * (replies). Every frame: u32 length (big-endian, of what follows, 1..MAX_FRAME), u8 type, payload.
 * Integers are big-endian; a string is u32 length + bytes (no NUL inside).
 *
 *   agent -> launcher
 *     'S' start: u64 attempt, u64 output cap, str working dir, str stdout file, str stderr file,
 *                u32 n + n str argv, u32 n + n str env ("NAME=value"), u32 n + n str cgroup.procs files
 *     'K' kill:  u64 attempt, u8 signal (15 SIGTERM or 9 SIGKILL)
 *   launcher -> agent (each reply one write() under PIPE_BUF bytes, so replies of several writers never mix)
 *     'H' hello:   u32 protocol version, u32 launcher pid          (once, first)
 *     'R' started: u64 attempt, u32 pid of the command             (it was exec'd)
 *     'F' failed:  u64 attempt, str why                            (nothing runs; no 'X' follows)
 *     'X' exited:  u64 attempt, u32 wait status of the command     (every process of the attempt is gone,
 *                                                                   the output files are complete)
 *     'E' error:   u64 attempt (0: none), str why                  (a bad request; a bad frame length
 *                                                                   ends the launcher: the stream is lost)
 *
 * Per attempt the launcher forks an attempt reaper (no exec): a child subreaper, so every orphan of
 * the attempt (a double fork) becomes its child. It forks the leader, which calls setsid(), joins the
 * cgroups (writes "0" to each cgroup.procs), takes the output pipes as stdout/stderr and /dev/null
 * as stdin, and execs the command: one exec per task. The reaper copies the pipes into the files
 * (capped as the agent's CappedOutput does), reaps every descendant, and when the command exits
 * kills what it left (SIGKILL to the tree under the reaper and the command's process group). A kill
 * request reaches the reaper as SIGUSR1 (TERM) or SIGUSR2 (KILL); after a TERM the leftovers get
 * until the KILL. The launcher dies with the agent (PR_SET_PDEATHSIG, EOF on stdin), each reaper
 * with the launcher (it then kills its attempt). Every descriptor is O_CLOEXEC.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define VERSION 1
#define MAX_FRAME (4u << 20)   /* argv + environment: well over the kernel's own limit */
#define MAX_ITEMS 65536u
#define MAX_CGROUPS 16u
#define MAX_REPLY 2048
#define MAX_ATTEMPTS 4096
#define MAX_TREE 65536
#define KILL_ROUNDS_MS 10000   /* an unkillable leftover (D state) delays the report at most this */
#define DRAIN_MS 500           /* output held open by something outside the attempt: given up after */

struct str { const char *p; uint32_t n; };
struct request {
    uint64_t attempt, cap;
    char *cwd, *out, *err;
    uint32_t argc, envc, cgc;
    char **argv, **envp, **cgroups;
};
struct reader { const unsigned char *p; uint32_t left; int bad; };
struct attempt { uint64_t id; pid_t reaper; };

static struct attempt attempts[MAX_ATTEMPTS];
static int attempt_count;

/* ---- replies ---- */

static void put32(unsigned char *b, uint32_t v) { b[0] = v >> 24; b[1] = v >> 16; b[2] = v >> 8; b[3] = v; }
static void put64(unsigned char *b, uint64_t v) { put32(b, (uint32_t) (v >> 32)); put32(b + 4, (uint32_t) v); }

static void reply(unsigned char type, uint64_t attempt, uint32_t number, const char *text) {
    unsigned char b[MAX_REPLY];
    size_t n = 5;
    b[4] = type;
    if (type == 'H') {
        put32(b + n, VERSION); put32(b + n + 4, number); n += 8;
    } else {
        put64(b + n, attempt); n += 8;
        if (text) {
            size_t len = strnlen(text, MAX_REPLY - 32);
            put32(b + n, (uint32_t) len); memcpy(b + n + 4, text, len); n += 4 + len;
        } else {
            put32(b + n, number); n += 4;
        }
    }
    put32(b, (uint32_t) (n - 4));
    while (write(STDOUT_FILENO, b, n) < 0 && errno == EINTR) {
    }
}

static void replyf(unsigned char type, uint64_t attempt, const char *what, const char *arg, int err) {
    char text[1024];
    snprintf(text, sizeof text, "%s%s%s%s%s", what, arg ? " " : "", arg ? arg : "", err ? ": " : "", err ? strerror(err) : "");
    reply(type, attempt, 0, text);
}

/* ---- requests ---- */

static uint32_t get32(struct reader *r) {
    if (r->left < 4) { r->bad = 1; return 0; }
    uint32_t v = (uint32_t) r->p[0] << 24 | (uint32_t) r->p[1] << 16 | (uint32_t) r->p[2] << 8 | r->p[3];
    r->p += 4; r->left -= 4;
    return v;
}

static uint64_t get64(struct reader *r) { uint64_t hi = get32(r); return hi << 32 | get32(r); }

static struct str getstr(struct reader *r) {
    struct str s = {"", 0};
    uint32_t n = get32(r);
    if (r->bad || n > r->left || memchr(r->p, 0, n)) { r->bad = 1; return s; }
    s.p = (const char *) r->p; s.n = n;
    r->p += n; r->left -= n;
    return s;
}

/* A NUL-terminated copy of n strings (plus a NULL at the end) in one allocation; NULL when malformed. */
static char **getlist(struct reader *r, uint32_t *count, uint32_t max) {
    uint32_t n = get32(r);
    if (r->bad || n > max || n > r->left / 4) { r->bad = 1; return NULL; }
    char **list = calloc(n + 1, sizeof *list);
    if (!list) { r->bad = 1; return NULL; }
    for (uint32_t i = 0; i < n; i++) {
        struct str s = getstr(r);
        if (r->bad || !(list[i] = strndup(s.p, s.n))) { r->bad = 1; break; }
    }
    *count = n;
    return list;
}

static void freelist(char **list) {
    for (char **p = list; p && *p; p++) free(*p);
    free(list);
}

static char *copystr(struct str s) { return strndup(s.p, s.n); }

static int read_full(int fd, unsigned char *b, size_t n) {
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, b + got, n - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -1;
        got += (size_t) r;
    }
    return 0;
}

/* ---- the process tree under the reaper ---- */

/* Signals every process below the reaper (its children are the command and the orphans it adopted),
 * walking /proc/<pid>/task/<tid>/children: no scan of the process table. */
static void signal_tree(pid_t group, int sig) {
    static pid_t stack[MAX_TREE];
    int top = 0;
    if (group > 0) kill(-group, sig);
    stack[top++] = getpid();
    while (top > 0) {
        pid_t pid = stack[--top];
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/task", (int) pid);
        DIR *tasks = opendir(path);
        if (!tasks) continue;
        struct dirent *t;
        while ((t = readdir(tasks))) {
            if (t->d_name[0] == '.') continue;
            char file[96];
            snprintf(file, sizeof file, "/proc/%d/task/%.16s/children", (int) pid, t->d_name);
            FILE *f = fopen(file, "re");
            if (!f) continue;
            int child;
            while (fscanf(f, "%d", &child) == 1) {
                kill(child, sig);
                if (top < MAX_TREE) stack[top++] = child;
            }
            fclose(f);
        }
        closedir(tasks);
    }
}

/* ---- the attempt reaper ---- */

struct capped { int pipe, file; const char *path; uint64_t cap, written, dropped; };
static void marker(struct capped *c, int final);

static void copy_out(struct capped *c) {
    char buf[65536];
    ssize_t n = read(c->pipe, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
    if (n <= 0) { close(c->pipe); c->pipe = -1; return; }
    uint64_t keep = c->cap > c->written ? c->cap - c->written : 0;
    if (keep > (uint64_t) n) keep = (uint64_t) n;
    for (uint64_t off = 0; off < keep && c->file >= 0;) {
        ssize_t w = write(c->file, buf + off, keep - off);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) { close(c->file); c->file = -1; break; } /* disk error: keep draining the pipe */
        off += (uint64_t) w;
    }
    c->written += keep;
    if (keep < (uint64_t) n) {
        if (c->dropped == 0) marker(c, 0);
        c->dropped += (uint64_t) n - keep;
    }
}

static long long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long) t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int open_output(const char *path) {
    return open(path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
}

/* Finds the executable as execvp does, but on the task's PATH (the agent's own may differ). */
static void exec_command(char **argv, char **envp) {
    if (strchr(argv[0], '/')) { execve(argv[0], argv, envp); return; }
    const char *path = "/usr/local/bin:/usr/bin:/bin";
    for (char **e = envp; *e; e++) if (strncmp(*e, "PATH=", 5) == 0) path = *e + 5;
    int saved = ENOENT;
    char full[4096];
    for (const char *p = path;; p++) {
        const char *end = strchrnul(p, ':');
        size_t dirlen = (size_t) (end - p);
        if (dirlen + strlen(argv[0]) + 2 < sizeof full) {
            memcpy(full, p, dirlen);
            full[dirlen] = dirlen ? '/' : '\0';
            strcpy(full + (dirlen ? dirlen + 1 : 0), argv[0]);
            execve(full, argv, envp);
            if (errno != ENOENT && errno != ENOTDIR) saved = errno;
        }
        if (!*end) break;
        p = end;
    }
    errno = saved;
}

/* In the leader, between fork and exec: only async-signal-safe calls. Reports a failure as (step, errno). */
static void leader(const struct request *q, int out, int err, int report) {
    sigset_t none;
    sigemptyset(&none);
    for (int s = 1; s < NSIG; s++) signal(s, SIG_DFL);
    sigprocmask(SIG_SETMASK, &none, NULL);
    int step = 1, e = 0;
    if (setsid() < 0) goto fail;
    step = 2;
    for (uint32_t i = 0; i < q->cgc; i++) {
        int fd = open(q->cgroups[i], O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write(fd, "0", 1) != 1) goto fail;
        close(fd);
    }
    step = 3;
    int in = open("/dev/null", O_RDONLY | O_CLOEXEC); /* dup2 below leaves fd 0 open; close_range needs Linux 5.11 */
    if (in < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) goto fail;
    step = 4;
    if (chdir(q->cwd) < 0) goto fail;
    step = 5;
#ifdef SYS_close_range
    syscall(SYS_close_range, 3u, ~0u, 4u /* CLOSE_RANGE_CLOEXEC: the report pipe must stay until exec */);
#endif
    exec_command(q->argv, q->envp);
fail:
    e = errno;
    int msg[2] = {step, e};
    ssize_t ignored = write(report, msg, sizeof msg);
    (void) ignored;
    _exit(127);
}

static void marker(struct capped *c, int final) {
    char path[4200], text[128];
    snprintf(path, sizeof path, "%s.truncated", c->path);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) return;
    if (final) {
        int n = snprintf(text, sizeof text, "output capped at %llu bytes; %llu later bytes were dropped\n",
                         (unsigned long long) c->cap, (unsigned long long) c->dropped);
        ssize_t ignored = write(fd, text, (size_t) n);
        (void) ignored;
    }
    close(fd);
}

static const char *const STEPS[] = {"", "cannot start a session", "cannot join the attempt's cgroup",
                                    "cannot set up stdin, stdout and stderr", "cannot enter the working directory",
                                    "cannot execute"};

/* Reaps every child; whether any is left. Records the leader's status. */
static int reap(pid_t leader_pid, int *status, int *leader_done) {
    for (;;) {
        int st;
        pid_t w = waitpid(-1, &st, WNOHANG);
        if (w == 0) return 1;
        if (w < 0) return errno != ECHILD;
        if (w == leader_pid) { *status = st; *leader_done = 1; }
    }
}

static void nonblocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

static void reaper(const struct request *q, pid_t launcher) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != launcher) _exit(0); /* the launcher is gone already */
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null >= 0) { dup3(null, 0, O_CLOEXEC); close(null); } /* the agent's request pipe is the launcher's only */
    struct capped out = {-1, -1, q->out, q->cap, 0, 0}, err = {-1, -1, q->err, q->cap, 0, 0};
    if ((out.file = open_output(q->out)) < 0) { replyf('F', q->attempt, "cannot open", q->out, errno); _exit(0); }
    if ((err.file = open_output(q->err)) < 0) { replyf('F', q->attempt, "cannot open", q->err, errno); _exit(0); }
    int po[2], pe[2], pr[2];
    if (pipe2(po, O_CLOEXEC) || pipe2(pe, O_CLOEXEC) || pipe2(pr, O_CLOEXEC)) {
        replyf('F', q->attempt, "cannot make pipes", NULL, errno);
        _exit(0);
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD); sigaddset(&set, SIGUSR1); sigaddset(&set, SIGUSR2); sigaddset(&set, SIGTERM);
    int sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    pid_t pid = sigfd < 0 ? -1 : fork();
    if (pid == 0) {
        close(po[0]); close(pe[0]); close(pr[0]);
        leader(q, po[1], pe[1], pr[1]);
    }
    close(po[1]); close(pe[1]); close(pr[1]);
    if (pid < 0) { replyf('F', q->attempt, "cannot fork", NULL, errno); _exit(0); }
    int msg[2];
    ssize_t n;
    while ((n = read(pr[0], msg, sizeof msg)) < 0 && errno == EINTR) {
    }
    close(pr[0]);
    if (n == (ssize_t) sizeof msg) {
        int step = msg[0] >= 1 && msg[0] <= 5 ? msg[0] : 5;
        replyf('F', q->attempt, STEPS[step], step == 5 ? q->argv[0] : step == 4 ? q->cwd : NULL, msg[1]);
        waitpid(pid, NULL, 0);
        _exit(0);
    }
    reply('R', q->attempt, (uint32_t) pid, NULL);
    out.pipe = po[0]; err.pipe = pe[0];
    nonblocking(out.pipe); nonblocking(err.pipe);

    int status = 0, leader_done = 0, term = 0, killing = 0, children = 1;
    long long kill_since = 0, alone_since = 0;
    for (;;) {
        int was_done = leader_done;
        children = reap(pid, &status, &leader_done);
        if (leader_done && !was_done && !killing && !term) {
            killing = 1; /* the command exited by itself: what it left goes with it */
            kill_since = now_ms();
        }
        if (killing && children) {
            if (now_ms() - kill_since > KILL_ROUNDS_MS) break;
            signal_tree(leader_done ? 0 : pid, SIGKILL);
        }
        if (leader_done && !children) {
            if (out.pipe < 0 && err.pipe < 0) break;
            if (!alone_since) alone_since = now_ms();
            else if (now_ms() - alone_since > DRAIN_MS) break; /* held open outside the attempt */
        }
        struct pollfd fds[3] = {{sigfd, POLLIN, 0}, {out.pipe, POLLIN, 0}, {err.pipe, POLLIN, 0}};
        int timeout = (killing && children) ? 20 : (leader_done && !children) ? 50 : -1;
        if (poll(fds, 3, timeout) < 0 && errno != EINTR) break;
        struct signalfd_siginfo si;
        while (read(sigfd, &si, sizeof si) == (ssize_t) sizeof si) {
            if (si.ssi_signo == SIGUSR1 && !killing) {
                term = 1;
                signal_tree(leader_done ? 0 : pid, SIGTERM);
            } else if ((si.ssi_signo == SIGUSR2 || si.ssi_signo == SIGTERM) && !killing) {
                killing = 1; /* SIGTERM: the launcher died, so the agent is gone or has given up on it */
                kill_since = now_ms();
            }
        }
        if (out.pipe >= 0 && fds[1].revents) copy_out(&out);
        if (err.pipe >= 0 && fds[2].revents) copy_out(&err);
    }
    struct capped *both[2] = {&out, &err};
    for (int i = 0; i < 2; i++) {
        if (both[i]->pipe >= 0) close(both[i]->pipe);
        if (both[i]->file >= 0) close(both[i]->file);
        if (both[i]->dropped) marker(both[i], 1);
    }
    reply('X', q->attempt, leader_done ? (uint32_t) status : (uint32_t) (SIGKILL), NULL);
    _exit(0);
}

/* ---- the launcher ---- */

static void forget(pid_t reaper_pid) {
    for (int i = 0; i < attempt_count; i++) {
        if (attempts[i].reaper == reaper_pid) { attempts[i] = attempts[--attempt_count]; return; }
    }
}

static struct attempt *find(uint64_t id) {
    for (int i = 0; i < attempt_count; i++) if (attempts[i].id == id) return &attempts[i];
    return NULL;
}

static void start(struct reader *r, int sigfd) {
    struct request q;
    memset(&q, 0, sizeof q);
    q.attempt = get64(r);
    q.cap = get64(r);
    q.cwd = copystr(getstr(r));
    q.out = copystr(getstr(r));
    q.err = copystr(getstr(r));
    q.argv = getlist(r, &q.argc, MAX_ITEMS);
    q.envp = r->bad ? NULL : getlist(r, &q.envc, MAX_ITEMS);
    q.cgroups = r->bad ? NULL : getlist(r, &q.cgc, MAX_CGROUPS);
    const char *why = NULL;
    if (r->bad || r->left != 0 || !q.cwd || !q.out || !q.err) why = "malformed start request";
    else if (q.argc == 0 || !*q.cwd || !*q.out || !*q.err || !*q.argv[0]) why = "start request without a command, directory or output file";
    for (uint32_t i = 0; !why && i < q.envc; i++) if (!strchr(q.envp[i], '=')) why = "environment entry without '='";
    if (!why && find(q.attempt)) why = "attempt already running";
    if (!why && attempt_count >= MAX_ATTEMPTS) why = "too many attempts at once";
    if (why) {
        reply('E', q.attempt, 0, why);
    } else {
        pid_t pid = fork();
        if (pid == 0) {
            close(sigfd);
            reaper(&q, getppid());
        }
        if (pid < 0) replyf('F', q.attempt, "cannot fork", NULL, errno);
        else attempts[attempt_count++] = (struct attempt) {q.attempt, pid};
    }
    free(q.cwd); free(q.out); free(q.err);
    freelist(q.argv); freelist(q.envp); freelist(q.cgroups);
}

static void stop(struct reader *r) {
    uint64_t id = get64(r);
    if (r->bad || r->left != 1) { reply('E', id, 0, "malformed kill request"); return; }
    int sig = r->p[0];
    if (sig != SIGTERM && sig != SIGKILL) { reply('E', id, 0, "only SIGTERM and SIGKILL are forwarded"); return; }
    struct attempt *a = find(id);
    if (a) kill(a->reaper, sig == SIGTERM ? SIGUSR1 : SIGUSR2); /* else it is over already */
}

int main(int argc, char **argv) {
    pid_t agent = argc > 1 ? (pid_t) atol(argv[1]) : 0;
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (agent > 0 && getppid() != agent) return 3; /* the agent died before the line above */
    signal(SIGPIPE, SIG_IGN);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD); sigaddset(&set, SIGUSR1); sigaddset(&set, SIGUSR2); sigaddset(&set, SIGTERM);
    sigprocmask(SIG_BLOCK, &set, NULL); /* reapers inherit the mask: no signal is lost before their signalfd */
    sigdelset(&set, SIGUSR1); sigdelset(&set, SIGUSR2);
    int sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    char children[64];
    snprintf(children, sizeof children, "/proc/%d/task/%d/children", (int) getpid(), (int) getpid());
    if (sigfd < 0 || access(children, R_OK) != 0) {
        fprintf(stderr, "drover-launch: needs signalfd and %s (CONFIG_PROC_CHILDREN)\n", children);
        return 4;
    }
    fcntl(STDIN_FILENO, F_SETFD, FD_CLOEXEC);
    fcntl(STDOUT_FILENO, F_SETFD, FD_CLOEXEC);
    unsigned char *frame = malloc(MAX_FRAME);
    if (!frame) return 5;
    reply('H', 0, (uint32_t) getpid(), NULL);
    for (;;) {
        struct pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {sigfd, POLLIN, 0}};
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            return 6;
        }
        struct signalfd_siginfo si;
        while (read(sigfd, &si, sizeof si) == (ssize_t) sizeof si) {
            if (si.ssi_signo == SIGTERM) return 0;
            pid_t w;
            while ((w = waitpid(-1, NULL, WNOHANG)) > 0) forget(w);
        }
        if (!fds[0].revents) continue;
        unsigned char head[4];
        if (read_full(STDIN_FILENO, head, 4) < 0) return 0; /* the agent closed: reapers follow (their death signal) */
        uint32_t len = (uint32_t) head[0] << 24 | (uint32_t) head[1] << 16 | (uint32_t) head[2] << 8 | head[3];
        if (len == 0 || len > MAX_FRAME) {
            reply('E', 0, 0, "bad frame length: closing");
            return 2;
        }
        if (read_full(STDIN_FILENO, frame, len) < 0) return 0;
        struct reader r = {frame + 1, len - 1, 0};
        switch (frame[0]) {
            case 'S': start(&r, sigfd); break;
            case 'K': stop(&r); break;
            default: reply('E', 0, 0, "unknown request type");
        }
    }
}
