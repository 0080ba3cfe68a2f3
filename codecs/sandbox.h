// Sandbox: runs a helper program (poppler's renderer, say) in a child process that can
// cost one page and never the intake.
//
// Why a process and not a library: the PDF renderers that read every PDF (poppler,
// MuPDF) are GPL or AGPL, and Postmottak is Apache-2.0, so they may run beside it but
// never be linked into it. A process is also the only container that survives a
// renderer's crash, hang or runaway allocation on a hostile file.
//
// The child runs with: an empty environment (PATH, HOME in its scratch folder, LANG),
// stdin from /dev/null, no other inherited descriptors, its own scratch folder as the
// working directory, no new privileges, its own process group, its own network
// namespace where the kernel allows it (as root), and resource limits on address space,
// CPU seconds, file size and open files. The parent reads at most `max_output` bytes of
// its standard output and kills the whole group at the wall-clock deadline, which fails
// the call with TimedOut.
#ifndef POSTMOTTAK_CODECS_SANDBOX_H_
#define POSTMOTTAK_CODECS_SANDBOX_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "storage/status.h"

namespace postmottak {

struct SandboxLimits {
  double seconds = 60;                         // wall clock; CPU time is limited to the same
  int64_t memory_bytes = int64_t{1} << 30;     // address space of the child
  int64_t max_output = int64_t{512} << 20;     // bytes of standard output kept
  int64_t max_file_bytes = int64_t{16} << 20;  // any file the child writes (font caches)
};

// Runs `argv` (argv[0] an absolute path) and returns its standard output when it exits
// with status 0. Fails with the program's last words on stderr when it exits otherwise,
// with a clear reason when it is killed by a limit (memory, CPU, the deadline), and
// InvalidArgument when its output passes `max_output`.
Result<std::string> RunSandboxed(const std::vector<std::string>& argv, const SandboxLimits& limits);

// Runs `work` in a forked copy of this process, without exec, and returns the string it
// returns. For work of our own, linked in, that must be stoppable at any point: a library
// call that checks no deadline (Tesseract's page layout analysis) is ended by killing the
// copy at `limits.seconds`, which fails with TimedOut, and the caller is free at once. A
// copy costs a page-table copy, not a new program loading its models again.
//
// Only the calling thread lives on in the copy, so `work` must not wait on anything that
// another thread may hold at the time of the fork (a lock of our own, a thread pool);
// the C library's allocator and stdio are safe. The copy inherits the environment and
// descriptors (it runs no other program), a CPU-time limit and no core dumps; its memory
// is bounded by what `work` is given, not by `memory_bytes`. A crash in `work` fails the
// call with Corruption naming `what`; FailedPrecondition means no copy could be started
// (no memory to fork, no descriptors left) and `work` never ran.
Result<std::string> RunForked(const std::string& what, const std::function<std::string()>& work,
                              const SandboxLimits& limits);

}  // namespace postmottak

#endif  // POSTMOTTAK_CODECS_SANDBOX_H_
