#include "codecs/tiff_rgba.h"

#include <leptonica/allheaders.h>
#include <tiffio.h>

#include <algorithm>
#include <memory>
#include <vector>

namespace postmottak {

namespace {
struct TiffCloser {
  void operator()(TIFF* t) const { TIFFClose(t); }
};
using TiffHandle = std::unique_ptr<TIFF, TiffCloser>;

// The file open at directory `index`, libtiff's own messages silenced (callers report).
Result<TiffHandle> OpenTiffDirectory(const std::string& path, int index) {
  TIFFSetWarningHandler(nullptr);
  TIFFSetErrorHandler(nullptr);
  TiffHandle tif(TIFFOpen(path.c_str(), "r"));
  if (!tif || !TIFFSetDirectory(tif.get(), static_cast<tdir_t>(index)))
    return Status::Corruption("TIFF directory cannot be read");
  return tif;
}

void SetResolution(TIFF* tif, Pix* pix) {
  float xres = 0, yres = 0;
  uint16_t unit = RESUNIT_INCH;
  TIFFGetField(tif, TIFFTAG_RESOLUTIONUNIT, &unit);
  if (TIFFGetField(tif, TIFFTAG_XRESOLUTION, &xres) &&
      TIFFGetField(tif, TIFFTAG_YRESOLUTION, &yres)) {
    const float scale = unit == RESUNIT_CENTIMETER ? 2.54f : 1.0f;
    pixSetResolution(pix, static_cast<int>(xres * scale + 0.5f),
                     static_cast<int>(yres * scale + 0.5f));
  }
}

// Gray, RGB or CMYK with or without alpha, 8 or 16 bits a sample, in strips, read here
// row by row: libtiff's RGBA path drops the alpha of 16-bit grey and refuses 16-bit
// CMYK.
Result<Image> ReadContiguous(TIFF* tif, uint32_t w, uint32_t h, int bits, int samples,
                             int photometric) {
  uint16_t extra = 0;
  uint16_t* types = nullptr;
  TIFFGetFieldDefaulted(tif, TIFFTAG_EXTRASAMPLES, &extra, &types);
  const int colours = samples - extra;
  const bool alpha = extra > 0;
  const bool associated = alpha && types && types[0] == EXTRASAMPLE_ASSOCALPHA;
  const size_t bytes = static_cast<size_t>(bits / 8);
  std::vector<uint8_t> row(static_cast<size_t>(TIFFScanlineSize(tif)));
  if (row.size() < static_cast<size_t>(w) * samples * bytes)
    return Status::Corruption("TIFF scanline is shorter than its width");
  Pix* pix = pixCreate(static_cast<int>(w), static_cast<int>(h), 8);
  if (!pix) return Status::InvalidArgument("TIFF page is too large to decode in memory");
  Image image(pix);
  const double max = bits == 16 ? 65535.0 : 255.0;
  auto sample = [&](uint32_t x, int i) {
    const size_t at = (static_cast<size_t>(x) * samples + i) * bytes;
    return (bits == 16 ? *reinterpret_cast<const uint16_t*>(&row[at]) : row[at]) / max;
  };
  for (uint32_t y = 0; y < h; ++y) {
    if (TIFFReadScanline(tif, row.data(), y, 0) < 0)
      return Status::Corruption("TIFF image data cannot be decoded (row " + std::to_string(y) +
                                ")");
    l_uint32* line = pixGetData(pix) + static_cast<size_t>(y) * pixGetWpl(pix);
    for (uint32_t x = 0; x < w; ++x) {
      const double a = alpha ? sample(x, colours) : 1.0;
      // Light as straight (unpremultiplied) colour, 0 dark .. 1 white.
      double v;
      if (photometric == PHOTOMETRIC_RGB) {
        v = 0.299 * sample(x, 0) + 0.587 * sample(x, 1) + 0.114 * sample(x, 2);
      } else if (photometric == PHOTOMETRIC_SEPARATED) {
        const double k = sample(x, 3);
        v = (1 - k) *
            (0.299 * (1 - sample(x, 0)) + 0.587 * (1 - sample(x, 1)) + 0.114 * (1 - sample(x, 2)));
      } else {
        v = sample(x, 0);
        if (photometric == PHOTOMETRIC_MINISWHITE) v = (associated ? a : 1.0) - v;
      }
      if (associated && photometric == PHOTOMETRIC_SEPARATED) v *= a;
      const double over_white = associated ? v + (1 - a) : v * a + (1 - a);
      SET_DATA_BYTE(line, x, static_cast<l_uint8>(std::clamp(over_white, 0.0, 1.0) * 255 + 0.5));
    }
  }
  SetResolution(tif, pix);
  return image;
}

}  // namespace

Result<TiffPageHeader> ReadTiffPageHeader(const std::string& path, int index) {
  auto opened = OpenTiffDirectory(path, index);
  if (!opened.ok()) return opened.status();
  TiffHandle tif = std::move(opened).value();
  uint32_t w = 0, h = 0;
  uint16_t bits = 1, photometric = PHOTOMETRIC_MINISWHITE, extra = 0;
  uint16_t* extra_types = nullptr;
  if (!TIFFGetField(tif.get(), TIFFTAG_IMAGEWIDTH, &w) ||
      !TIFFGetField(tif.get(), TIFFTAG_IMAGELENGTH, &h))
    return Status::Corruption("TIFF directory has no image size");
  TIFFGetFieldDefaulted(tif.get(), TIFFTAG_BITSPERSAMPLE, &bits);
  TIFFGetField(tif.get(), TIFFTAG_PHOTOMETRIC, &photometric);
  TIFFGetFieldDefaulted(tif.get(), TIFFTAG_EXTRASAMPLES, &extra, &extra_types);
  const bool plain = photometric == PHOTOMETRIC_MINISWHITE ||
                     photometric == PHOTOMETRIC_MINISBLACK || photometric == PHOTOMETRIC_RGB ||
                     photometric == PHOTOMETRIC_PALETTE;
  return TiffPageHeader{w, h, extra > 0 || bits > 8 || !plain};
}

Result<Image> ReadTiffRgba(const std::string& path, int index, const ImageLimits& limits) {
  auto opened = OpenTiffDirectory(path, index);
  if (!opened.ok()) return opened.status();
  TiffHandle tif = std::move(opened).value();
  uint32_t w = 0, h = 0;
  TIFFGetField(tif.get(), TIFFTAG_IMAGEWIDTH, &w);
  TIFFGetField(tif.get(), TIFFTAG_IMAGELENGTH, &h);
  PM_RETURN_IF_ERROR(CheckDimensions(w, h, limits));
  uint16_t bits = 8, samples = 1, photometric = 0, planar = PLANARCONFIG_CONTIG;
  TIFFGetFieldDefaulted(tif.get(), TIFFTAG_BITSPERSAMPLE, &bits);
  TIFFGetFieldDefaulted(tif.get(), TIFFTAG_SAMPLESPERPIXEL, &samples);
  TIFFGetField(tif.get(), TIFFTAG_PHOTOMETRIC, &photometric);
  TIFFGetFieldDefaulted(tif.get(), TIFFTAG_PLANARCONFIG, &planar);
  const bool gray = photometric == PHOTOMETRIC_MINISBLACK || photometric == PHOTOMETRIC_MINISWHITE;
  const int colours = gray                                   ? 1
                      : photometric == PHOTOMETRIC_RGB       ? 3
                      : photometric == PHOTOMETRIC_SEPARATED ? 4
                                                             : 0;
  if (colours > 0 && (samples == colours || samples == colours + 1) &&
      (bits == 16 || (bits == 8 && samples == 2)) && planar == PLANARCONFIG_CONTIG &&
      !TIFFIsTiled(tif.get()))
    return ReadContiguous(tif.get(), w, h, bits, samples, photometric);
  char why[1024] = "";
  if (!TIFFRGBAImageOK(tif.get(), why))
    return Status::Unsupported(std::string("TIFF image data cannot be decoded: ") + why);
  std::unique_ptr<uint32_t, decltype(&_TIFFfree)> raster(
      static_cast<uint32_t*>(_TIFFmalloc(static_cast<tmsize_t>(w) * h * sizeof(uint32_t))),
      &_TIFFfree);
  if (!raster) return Status::InvalidArgument("TIFF page is too large to decode in memory");
  if (!TIFFReadRGBAImageOriented(tif.get(), w, h, raster.get(), ORIENTATION_TOPLEFT, 0))
    return Status::Corruption("TIFF image data cannot be decoded");

  Pix* pix = pixCreate(static_cast<int>(w), static_cast<int>(h), 8);
  if (!pix) return Status::InvalidArgument("TIFF page is too large to decode in memory");
  l_uint32* data = pixGetData(pix);
  const int wpl = pixGetWpl(pix);
  for (uint32_t y = 0; y < h; ++y) {
    const uint32_t* src = raster.get() + static_cast<size_t>(y) * w;
    l_uint32* line = data + static_cast<size_t>(y) * wpl;
    for (uint32_t x = 0; x < w; ++x) {
      const uint32_t p = src[x];
      // ITU-R BT.601 luma over white paper; libtiff hands alpha premultiplied.
      const uint32_t luma = (299 * TIFFGetR(p) + 587 * TIFFGetG(p) + 114 * TIFFGetB(p)) / 1000;
      const uint32_t a = TIFFGetA(p);
      SET_DATA_BYTE(line, x, static_cast<l_uint8>(std::min<uint32_t>(255, luma + 255 - a)));
    }
  }
  SetResolution(tif.get(), pix);
  return Image(pix);
}

}  // namespace postmottak
