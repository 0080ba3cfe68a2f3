// Canvas: a white page on which text (FreeType, a real TrueType font) and barcodes are
// drawn at positions in millimetres. Cover sheets are laid out once on a Canvas and
// come out both as the printable PDF and, in the sample generator, as the "scanned"
// page, so what is printed and what is tested are the same pixels.
#ifndef POSTMOTTAK_CODECS_TEXT_RASTER_H_
#define POSTMOTTAK_CODECS_TEXT_RASTER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "codecs/image.h"
#include "storage/status.h"

namespace postmottak {

struct Fonts {
  std::string regular = POSTMOTTAK_FONT;
  std::string bold = POSTMOTTAK_FONT_BOLD;
};

class Canvas {
 public:
  // An A4 page unless told otherwise; 8 bpp gray, white.
  static Result<Canvas> Create(int dpi, const Fonts& fonts = {}, double width_mm = 210.0,
                               double height_mm = 297.0);
  Canvas(Canvas&&) noexcept;
  Canvas& operator=(Canvas&&) noexcept;
  ~Canvas();

  int dpi() const;
  // Draws UTF-8 text with its baseline starting at (x_mm, y_mm); returns its width in mm.
  double Text(double x_mm, double y_mm, double size_pt, const std::string& utf8, bool bold = false,
              uint8_t gray = 0);
  double TextWidth(double size_pt, const std::string& utf8, bool bold = false);
  void Fill(double x_mm, double y_mm, double w_mm, double h_mm, uint8_t gray = 0);
  // Paints the black pixels of a 1 bpp image with its top-left corner at (x_mm, y_mm).
  void Paste(const Image& bitonal, double x_mm, double y_mm);
  int Px(double mm) const;

  // The page so far (a copy; the canvas stays usable).
  Image Snapshot() const;

 private:
  struct Impl;
  explicit Canvas(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Decodes UTF-8 into code points; malformed bytes become U+FFFD.
std::u32string DecodeUtf8(const std::string& utf8);

}  // namespace postmottak

#endif  // POSTMOTTAK_CODECS_TEXT_RASTER_H_
