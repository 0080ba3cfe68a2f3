#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "cli/commands.h"

int main(int argc, char** argv) {
  // Tesseract's OpenMP runtime reads OMP_THREAD_LIMIT when the library is loaded, before
  // main(); setting it now would be too late, so start again with it set. With one
  // Tesseract per worker, OpenMP threads only thrash.
  if (std::getenv("OMP_THREAD_LIMIT") == nullptr) {
    setenv("OMP_THREAD_LIMIT", "1", 1);
    execv("/proc/self/exe", argv);
    // Could not re-execute: carry on, slower but correct.
  }
  return postmottak::RunCommandLine(argc, argv);
}
