// Fuzz target: what distributed intake reads from the network (pipeline/distributed/wire.h): jobs,
// results and run settings. Invariant: anything is an error or a value, never a crash;
// an accepted result encodes and decodes again to the same page.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "pipeline/distributed/wire.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  postmottak::ImageLimits limits;
  limits.max_pixels = 4'000'000;  // a job may name any size; the limit must hold
  auto job = postmottak::DecodeJob(bytes, limits);
  if (job.ok() && job->image.ok() &&
      job->image->width() * int64_t{job->image->height()} > limits.max_pixels)
    std::abort();
  // Run for the crashes and sanitizer findings they must not have; any verdict is fine.
  postmottak::JobPageBytes(bytes).IgnoreError();
  postmottak::DecodeSettings(bytes).IgnoreError();
  auto result = postmottak::DecodeResult(bytes);
  if (result.ok()) {
    auto again = postmottak::DecodeResult(postmottak::EncodeResult(*result));
    if (!again.ok() || again->text != result->text || again->image != result->image ||
        again->seq != result->seq)
      std::abort();
  }
  return 0;
}
