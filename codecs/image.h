// Image: the one owner of a Leptonica PIX. Move-only; the PIX is destroyed with it.
//
// Image conversions that the pipeline needs live here, so that every stage agrees on
// what "grayscale" and "bitonal" mean: 8 bpp gray with 255 = white, and 1 bpp with
// 1 = black (Leptonica's convention).
#ifndef POSTMOTTAK_CODECS_IMAGE_H_
#define POSTMOTTAK_CODECS_IMAGE_H_

#include <cstdint>
#include <string>

#include "storage/status.h"

struct Pix;

namespace postmottak {

class Image {
 public:
  Image() = default;
  // Takes ownership of pix (may be null).
  explicit Image(Pix* pix) : pix_(pix) {}
  Image(Image&& o) noexcept : pix_(o.pix_) { o.pix_ = nullptr; }
  Image& operator=(Image&& o) noexcept;
  Image(const Image&) = delete;
  Image& operator=(const Image&) = delete;
  ~Image();

  Pix* get() const { return pix_; }
  Pix* release();
  bool empty() const { return pix_ == nullptr; }
  int width() const;
  int height() const;
  int depth() const;
  int dpi() const;  // x resolution; 0 when the file did not say
  // A deep copy, safe to modify.
  Image Clone() const;
  // Another reference to the same pixels (Leptonica's reference count): cheap, and
  // read-only by convention.
  Image Share() const;

 private:
  Pix* pix_ = nullptr;
};

// Refuses images beyond these limits before any pixel memory is allocated.
struct ImageLimits {
  int64_t max_pixels = 120'000'000;  // about A3 at 600 dpi in colour
  int max_side = 40'000;
};
Status CheckDimensions(int64_t width, int64_t height, const ImageLimits& limits);

// Decodes TIFF (first page), PNG, JPEG, PNM or BMP from memory.
Result<Image> DecodeImage(const std::string& bytes, const ImageLimits& limits = {});

// 8 bpp gray (255 = white), whatever the input depth. An input that is gray already
// comes back shared, not copied: do not modify the result.
Image ToGray(const Image& image);
// 1 bpp (1 = black), by locally adaptive thresholding, robust to faint print and
// uneven background.
Image ToBitonal(const Image& image);
// Rotates by a multiple of 90 degrees clockwise.
Image RotateOrtho(const Image& image, int degrees_clockwise);
// Rotates by a small angle in degrees (counter-clockwise positive), filling with white.
Image RotateSmall(const Image& image, double degrees);

// Scaled down to `width` pixels wide, keeping the aspect; bitonal pages become gray so
// that thin strokes survive (a thumbnail). An image no wider comes back shared.
Image ScaleToWidth(const Image& image, int width);

// Compact storage encodings.
Result<std::string> EncodeTiffG4(const Image& bitonal);
Result<std::string> EncodeJpeg(const Image& image, int quality);
// `level`: zlib's 1 (fastest) to 9 (smallest); Leptonica's default is 6.
Result<std::string> EncodePng(const Image& image, int level = 6);

}  // namespace postmottak

#endif  // POSTMOTTAK_CODECS_IMAGE_H_
