#include "codecs/image.h"

#include <leptonica/allheaders.h>

#include <cmath>
#include <cstdlib>

namespace postmottak {

namespace {
// Leptonica reports problems on stderr by default; we report them as Status instead.
struct QuietLeptonica {
  QuietLeptonica() { setMsgSeverity(L_SEVERITY_NONE); }
} quiet_leptonica;

Result<std::string> TakeBytes(l_uint8* data, size_t size, l_ok rc, const char* what) {
  if (rc != 0 || data == nullptr) {
    if (data) lept_free(data);
    return Status::IOError(std::string("cannot encode image as ") + what);
  }
  std::string out(reinterpret_cast<const char*>(data), size);
  lept_free(data);
  return out;
}
}  // namespace

Image& Image::operator=(Image&& o) noexcept {
  if (this != &o) {
    if (pix_) pixDestroy(&pix_);
    pix_ = o.pix_;
    o.pix_ = nullptr;
  }
  return *this;
}

Image::~Image() {
  if (pix_) pixDestroy(&pix_);
}

Pix* Image::release() {
  Pix* p = pix_;
  pix_ = nullptr;
  return p;
}

int Image::width() const { return pix_ ? pixGetWidth(pix_) : 0; }
int Image::height() const { return pix_ ? pixGetHeight(pix_) : 0; }
int Image::depth() const { return pix_ ? pixGetDepth(pix_) : 0; }
int Image::dpi() const { return pix_ ? pixGetXRes(pix_) : 0; }
Image Image::Clone() const { return Image(pix_ ? pixCopy(nullptr, pix_) : nullptr); }
Image Image::Share() const { return Image(pix_ ? pixClone(pix_) : nullptr); }

Status CheckDimensions(int64_t width, int64_t height, const ImageLimits& limits) {
  if (width <= 0 || height <= 0)
    return Status::Corruption("image has no pixels (" + std::to_string(width) + "x" +
                              std::to_string(height) + ")");
  if (width > limits.max_side || height > limits.max_side || width * height > limits.max_pixels)
    return Status::InvalidArgument("image of " + std::to_string(width) + "x" +
                                   std::to_string(height) + " pixels exceeds the limit of " +
                                   std::to_string(limits.max_pixels) + " pixels");
  return Status::OK();
}

Result<Image> DecodeImage(const std::string& bytes, const ImageLimits& limits) {
  if (bytes.empty()) return Status::Corruption("empty image data");
  const auto* data = reinterpret_cast<const l_uint8*>(bytes.data());
  l_int32 format = 0, w = 0, h = 0, bps = 0, spp = 0, iscmap = 0;
  if (pixReadHeaderMem(data, bytes.size(), &format, &w, &h, &bps, &spp, &iscmap) != 0)
    return Status::Corruption("image header cannot be read");
  PM_RETURN_IF_ERROR(CheckDimensions(w, h, limits));
  Pix* pix = pixReadMem(data, bytes.size());
  if (!pix) return Status::Corruption("image data cannot be decoded");
  return Image(pix);
}

Image ToGray(const Image& image) {
  if (image.empty()) return Image();
  Pix* p = image.get();
  if (pixGetDepth(p) == 8 && !pixGetColormap(p)) return image.Share();
  if (pixGetDepth(p) == 1) return Image(pixConvert1To8(nullptr, p, 255, 0));
  Pix* noc = pixRemoveColormap(p, REMOVE_CMAP_BASED_ON_SRC);
  Pix* gray = pixConvertTo8(noc ? noc : p, 0);
  if (noc) pixDestroy(&noc);
  return Image(gray);
}

Image ToBitonal(const Image& image) {
  if (image.empty()) return Image();
  if (image.depth() == 1) return image.Clone();
  Image gray = ToGray(image);
  // Background normalisation followed by a fixed threshold handles faint print and
  // uneven illumination without Sauvola's noise on empty regions.
  Pix* norm = pixBackgroundNormSimple(gray.get(), nullptr, nullptr);
  Pix* bin = pixThresholdToBinary(norm ? norm : gray.get(), 170);
  if (norm) pixDestroy(&norm);
  return Image(bin);
}

Image RotateOrtho(const Image& image, int degrees_clockwise) {
  int quads = ((degrees_clockwise % 360) + 360) % 360 / 90;
  if (quads == 0) return image.Clone();
  return Image(pixRotateOrth(image.get(), quads));
}

Image ScaleToWidth(const Image& image, int width) {
  if (width <= 0 || image.width() <= width) return image.Share();
  const float factor = static_cast<float>(width) / static_cast<float>(image.width());
  if (image.depth() == 1) return Image(pixScaleToGray(image.get(), factor));
  return Image(pixScale(image.get(), factor, factor));
}

Image RotateSmall(const Image& image, double degrees) {
  if (std::fabs(degrees) < 0.05) return image.Clone();
  constexpr double kDegToRad = 3.14159265358979323846 / 180.0;
  return Image(pixRotate(image.get(), static_cast<float>(degrees * kDegToRad), L_ROTATE_AREA_MAP,
                         L_BRING_IN_WHITE, 0, 0));
}

Result<std::string> EncodeTiffG4(const Image& bitonal) {
  if (bitonal.depth() != 1) return Status::InvalidArgument("G4 needs a 1 bpp image");
  l_uint8* data = nullptr;
  size_t size = 0;
  l_ok rc = pixWriteMemTiff(&data, &size, bitonal.get(), IFF_TIFF_G4);
  return TakeBytes(data, size, rc, "TIFF G4");
}

Result<std::string> EncodeJpeg(const Image& image, int quality) {
  l_uint8* data = nullptr;
  size_t size = 0;
  l_ok rc = pixWriteMemJpeg(&data, &size, image.get(), quality, 0);
  return TakeBytes(data, size, rc, "JPEG");
}

Result<std::string> EncodePng(const Image& image, int level) {
  l_uint8* data = nullptr;
  size_t size = 0;
  // Leptonica takes the level from the PIX's `special` field, which nothing else here
  // sets; it goes back to 0 (the default) after.
  pixSetZlibCompression(image.get(), level);
  l_ok rc = pixWriteMemPng(&data, &size, image.get(), 0.0f);
  pixSetSpecial(image.get(), 0);
  return TakeBytes(data, size, rc, "PNG");
}

}  // namespace postmottak
