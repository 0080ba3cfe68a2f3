#include "codecs/sandbox.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>

#include "codecs/scratch_dir.h"

namespace postmottak {

namespace {

// Owns a file descriptor.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { Reset(); }
  int get() const { return fd_; }
  void Reset() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

void Limit(int resource, rlim_t value) {
  struct rlimit r = {value, value};
  setrlimit(resource, &r);
}

// The child's resource limits, worked out before fork.
struct ChildLimits {
  rlim_t cpu_seconds, address_space, file_size;
};

// In the child, between fork and exec: only async-signal-safe calls.
[[noreturn]] void BecomeChild(char* const argv[], char* const envp[], const char* dir, int out,
                              int err, const ChildLimits& limits) {
  setpgid(0, 0);
  int null = open("/dev/null", O_RDONLY);
  if (null < 0 || dup2(null, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) _exit(126);
  for (int fd = 3; fd < 4096; ++fd) close(fd);
  if (chdir(dir) != 0) _exit(126);
  prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  unshare(CLONE_NEWNET);  // allowed as root only; elsewhere the rest still holds
  Limit(RLIMIT_CPU, limits.cpu_seconds);
  Limit(RLIMIT_AS, limits.address_space);
  Limit(RLIMIT_FSIZE, limits.file_size);
  Limit(RLIMIT_NOFILE, 64);
  Limit(RLIMIT_CORE, 0);
  execve(argv[0], argv, envp);
  _exit(127);
}

std::string LastWords(std::string err) {
  while (!err.empty() && (err.back() == '\n' || err.back() == ' ')) err.pop_back();
  if (auto nl = err.rfind('\n'); nl != std::string::npos) err = err.substr(nl + 1);
  if (err.size() > 200) err = err.substr(0, 200) + "...";
  return err;
}

// What a child left behind: its output, and how it ended.
struct ChildEnd {
  std::string out, err;
  bool timed_out = false, overflowed = false;
  int status = 0;  // as waitpid gives it
};

// Reads the child's standard output (and error, when `err_fd` >= 0) until both close or
// the deadline passes, kills the child (its whole group when `group`) on the deadline or
// an overflow, and reaps it. Every child is reaped here, so none is left a zombie.
ChildEnd Collect(pid_t pid, bool group, int out_fd, int err_fd, const SandboxLimits& limits) {
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(static_cast<int64_t>(limits.seconds * 1000));
  ChildEnd end;
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  int open_fds = err_fd >= 0 ? 2 : 1;
  char buf[1 << 16];
  while (open_fds > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) {
      end.timed_out = true;
      break;
    }
    if (poll(fds, 2, static_cast<int>(std::min<int64_t>(left, 1000))) < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        fds[i].fd = -1;
        --open_fds;
        continue;
      }
      std::string& sink = i == 0 ? end.out : end.err;
      if (i == 0 && static_cast<int64_t>(end.out.size()) + n > limits.max_output) {
        end.overflowed = true;
        open_fds = 0;
        break;
      }
      if (i == 1 && end.err.size() > 8192) continue;  // keep the start; the rest is noise
      sink.append(buf, static_cast<size_t>(n));
    }
  }
  if (end.timed_out || end.overflowed) kill(group ? -pid : pid, SIGKILL);
  while (waitpid(pid, &end.status, 0) < 0 && errno == EINTR) {
  }
  return end;
}

// The child's output when it exited with status 0, else why not.
Result<std::string> Verdict(const std::string& program, ChildEnd end, const SandboxLimits& limits) {
  if (end.timed_out) {
    char bound[32];
    snprintf(bound, sizeof bound, "%g", limits.seconds);
    return Status::TimedOut(program + " ran past its time bound of " + bound +
                            " s and was stopped");
  }
  if (end.overflowed)
    return Status::InvalidArgument(program + " wrote more than its limit of " +
                                   std::to_string(limits.max_output) + " bytes");
  const std::string words = LastWords(end.err);
  const std::string said = words.empty() ? "" : ": " + words;
  if (WIFSIGNALED(end.status)) {
    const int sig = WTERMSIG(end.status);
    std::string why = sig == SIGXCPU   ? "ran past its CPU time bound"
                      : sig == SIGKILL ? "was killed"
                                       : std::string("crashed (") + strsignal(sig) + ")";
    return Status::Corruption(program + " " + why + said);
  }
  const int code = WIFEXITED(end.status) ? WEXITSTATUS(end.status) : -1;
  if (code != 0)
    return Status::Corruption(program + " failed (exit " + std::to_string(code) + ")" + said);
  return std::move(end.out);
}

bool WriteAll(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

Result<std::string> RunSandboxed(const std::vector<std::string>& argv,
                                 const SandboxLimits& limits) {
  if (argv.empty() || argv[0].empty() || argv[0][0] != '/')
    return Status::InvalidArgument("sandbox: the program must be named by an absolute path");
  const std::string program = std::filesystem::path(argv[0]).filename();
  if (access(argv[0].c_str(), X_OK) != 0)
    return Status::NotFound(program + " is not installed (" + argv[0] + ")");
  ScratchDir scratch("sandbox");
  if (scratch.path().empty()) return Status::IOError("sandbox: cannot create a scratch folder");

  // Everything the child needs is built before fork: after it, only exec.
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const std::string home = "HOME=" + scratch.path();
  std::string env_strings[] = {"PATH=/usr/bin:/bin", home, "LANG=C.UTF-8"};
  std::vector<char*> env;
  for (auto& e : env_strings) env.push_back(e.data());
  env.push_back(nullptr);

  const ChildLimits child_limits{static_cast<rlim_t>(std::ceil(limits.seconds)) + 1,
                                 static_cast<rlim_t>(limits.memory_bytes),
                                 static_cast<rlim_t>(limits.max_file_bytes)};

  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) return Status::IOError("sandbox: pipe failed");
  Fd out_read(out_pipe[0]), out_write(out_pipe[1]);
  if (pipe2(err_pipe, O_CLOEXEC) != 0) return Status::IOError("sandbox: pipe failed");
  Fd err_read(err_pipe[0]), err_write(err_pipe[1]);

  const pid_t pid = fork();
  if (pid < 0) return Status::IOError("sandbox: fork failed: " + std::string(strerror(errno)));
  if (pid == 0)
    BecomeChild(args.data(), env.data(), scratch.path().c_str(), out_write.get(), err_write.get(),
                child_limits);
  setpgid(pid, pid);  // also here, so the group exists before any kill below
  out_write.Reset();
  err_write.Reset();
  return Verdict(program, Collect(pid, true, out_read.get(), err_read.get(), limits), limits);
}

Result<std::string> RunForked(const std::string& what, const std::function<std::string()>& work,
                              const SandboxLimits& limits) {
  int out_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0)
    return Status::FailedPrecondition(what + ": cannot start a process: " + strerror(errno));
  Fd out_read(out_pipe[0]), out_write(out_pipe[1]);
  const rlim_t cpu_seconds = static_cast<rlim_t>(std::ceil(limits.seconds)) + 1;
  const pid_t pid = fork();
  if (pid < 0)
    return Status::FailedPrecondition(what + ": cannot start a process: " + strerror(errno));
  if (pid == 0) {
    // The copy of this process: only this thread lives on. It never returns into the
    // caller's code, and _exit skips destructors and atexit handlers that belong to the
    // parent (the store, the workers, a sanitizer's leak check).
    Limit(RLIMIT_CPU, cpu_seconds);
    Limit(RLIMIT_CORE, 0);
    _exit(WriteAll(out_write.get(), work()) ? 0 : 1);
  }
  out_write.Reset();
  return Verdict(what, Collect(pid, false, out_read.get(), -1, limits), limits);
}

}  // namespace postmottak
