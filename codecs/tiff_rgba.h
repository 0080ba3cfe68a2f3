// Internal to codecs/: a TIFF page through libtiff's general RGBA interface, for the
// variants Leptonica's reader refuses: 16-bit samples, grey + alpha, CMYK, YCbCr,
// planar and tiled layouts, JPEG-in-TIFF, and whatever else libtiff knows how to show.
#ifndef POSTMOTTAK_CODECS_TIFF_RGBA_H_
#define POSTMOTTAK_CODECS_TIFF_RGBA_H_

#include <cstdint>
#include <string>

#include "codecs/image.h"

namespace postmottak {

// Page `index` (0-based) of the TIFF at `path` as 8 bpp gray (255 = white), alpha
// composited over white paper. Dimensions are checked against `limits` before the
// raster (4 bytes a pixel) is allocated.
Result<Image> ReadTiffRgba(const std::string& path, int index, const ImageLimits& limits);

// What a page's directory says, read once before any pixel is decoded.
struct TiffPageHeader {
  int64_t width = 0, height = 0;
  // Leptonica's reader would misread the page rather than refuse it: extra (alpha)
  // samples, which it drops (transparent paper comes out black), more than 8 bits a
  // sample, or a photometric other than gray, RGB and palette (CMYK, YCbCr).
  bool needs_rgba = false;
};
Result<TiffPageHeader> ReadTiffPageHeader(const std::string& path, int index);

}  // namespace postmottak

#endif  // POSTMOTTAK_CODECS_TIFF_RGBA_H_
