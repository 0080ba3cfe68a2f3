// Fuzz target: a whole scanned file as intake opens it (format by content: multi-page
// TIFF, PDF through qpdf, PNG, JPEG), with its limits, reading every page.
// Invariants: page counts and images stay within the limits; failures are errors,
// never crashes.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "codecs/page_source.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // PageSource reads files, as intake does; one scratch file per process.
  static const std::string path = "/tmp/postmottak-fuzz-" + std::to_string(getpid());
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  postmottak::SourceLimits limits;
  limits.max_file_bytes = 1 << 20;
  limits.max_pages = 8;
  limits.image.max_pixels = 4'000'000;
  limits.image.max_side = 8'000;
  limits.page_seconds = 2;  // rendered pages: a renderer that hangs on an input is stopped
  auto source = postmottak::PageSource::Open(path, limits);
  if (source.ok()) {
    const int n = (*source)->page_count();
    if (n < 1 || n > limits.max_pages) std::abort();
    for (int i = 0; i < n; ++i) {
      auto image = (*source)->ReadPage(i);
      if (image.ok() &&
          static_cast<int64_t>(image->width()) * image->height() > limits.image.max_pixels)
        std::abort();
    }
    (*source)->Damage().IgnoreError();  // called for its bounds and sanitizers, not its verdict
  }
  std::remove(path.c_str());
  return 0;
}
