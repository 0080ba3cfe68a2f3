// Fuzz target: the image-decoding entry with its limits, from memory (TIFF, PNG, JPEG,
// PNM, BMP). Invariant: a decoded image is within the limits.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "codecs/image.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  postmottak::ImageLimits limits;
  limits.max_pixels = 4'000'000;  // small, so the fuzzer spends its time on parsing
  limits.max_side = 8'000;
  auto image =
      postmottak::DecodeImage(std::string(reinterpret_cast<const char*>(data), size), limits);
  if (image.ok() && static_cast<int64_t>(image->width()) * image->height() > limits.max_pixels)
    std::abort();
  return 0;
}
