#include "codecs/text_raster.h"

#include <ft2build.h>

#include <algorithm>
#include <cmath>
#include FT_FREETYPE_H
#include <leptonica/allheaders.h>

namespace postmottak {

std::u32string DecodeUtf8(const std::string& s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += n;
  }
  return out;
}

struct Canvas::Impl {
  FT_Library library = nullptr;
  FT_Face regular = nullptr;
  FT_Face bold = nullptr;
  Image page;
  int dpi = 300;
  ~Impl() {
    if (regular) FT_Done_Face(regular);
    if (bold) FT_Done_Face(bold);
    if (library) FT_Done_FreeType(library);
  }
};

Canvas::Canvas(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Canvas::Canvas(Canvas&&) noexcept = default;
Canvas& Canvas::operator=(Canvas&&) noexcept = default;
Canvas::~Canvas() = default;

Result<Canvas> Canvas::Create(int dpi, const Fonts& fonts, double width_mm, double height_mm) {
  if (dpi < 50 || dpi > 1200) return Status::InvalidArgument("canvas resolution out of range");
  auto impl = std::make_unique<Impl>();
  impl->dpi = dpi;
  if (FT_Init_FreeType(&impl->library) != 0) return Status::IOError("FreeType cannot start");
  if (FT_New_Face(impl->library, fonts.regular.c_str(), 0, &impl->regular) != 0)
    return Status::NotFound("font " + fonts.regular + " cannot be loaded");
  if (FT_New_Face(impl->library, fonts.bold.c_str(), 0, &impl->bold) != 0)
    return Status::NotFound("font " + fonts.bold + " cannot be loaded");
  int w = static_cast<int>(std::lround(width_mm / 25.4 * dpi));
  int h = static_cast<int>(std::lround(height_mm / 25.4 * dpi));
  Pix* pix = pixCreate(w, h, 8);
  pixSetAllArbitrary(pix, 255);
  pixSetResolution(pix, dpi, dpi);
  impl->page = Image(pix);
  return Canvas(std::move(impl));
}

int Canvas::dpi() const { return impl_->dpi; }
int Canvas::Px(double mm) const { return static_cast<int>(std::lround(mm / 25.4 * impl_->dpi)); }

double Canvas::TextWidth(double size_pt, const std::string& utf8, bool bold) {
  FT_Face face = bold ? impl_->bold : impl_->regular;
  FT_Set_Char_Size(face, 0, static_cast<FT_F26Dot6>(size_pt * 64), impl_->dpi, impl_->dpi);
  long advance = 0;
  for (char32_t cp : DecodeUtf8(utf8))
    if (FT_Load_Char(face, cp, FT_LOAD_DEFAULT) == 0) advance += face->glyph->advance.x;
  return advance / 64.0 / impl_->dpi * 25.4;
}

double Canvas::Text(double x_mm, double y_mm, double size_pt, const std::string& utf8, bool bold,
                    uint8_t gray) {
  FT_Face face = bold ? impl_->bold : impl_->regular;
  FT_Set_Char_Size(face, 0, static_cast<FT_F26Dot6>(size_pt * 64), impl_->dpi, impl_->dpi);
  Pix* pix = impl_->page.get();
  const int pw = pixGetWidth(pix), ph = pixGetHeight(pix), wpl = pixGetWpl(pix);
  l_uint32* data = pixGetData(pix);
  long pen_x = static_cast<long>(std::lround(x_mm / 25.4 * impl_->dpi * 64));
  const int base_y = Px(y_mm);
  for (char32_t cp : DecodeUtf8(utf8)) {
    if (FT_Load_Char(face, cp, FT_LOAD_RENDER) != 0) continue;
    const FT_GlyphSlot g = face->glyph;
    const int ox = static_cast<int>(pen_x >> 6) + g->bitmap_left;
    const int oy = base_y - g->bitmap_top;
    for (unsigned r = 0; r < g->bitmap.rows; ++r) {
      const int y = oy + static_cast<int>(r);
      if (y < 0 || y >= ph) continue;
      for (unsigned c = 0; c < g->bitmap.width; ++c) {
        const int x = ox + static_cast<int>(c);
        if (x < 0 || x >= pw) continue;
        const int cover = g->bitmap.buffer[r * g->bitmap.pitch + c];
        if (cover == 0) continue;
        l_uint32* line = data + y * wpl;
        const int old = GET_DATA_BYTE(line, x);
        const int blended = (old * (255 - cover) + gray * cover) / 255;
        SET_DATA_BYTE(line, x, std::min(old, blended));
      }
    }
    pen_x += g->advance.x;
  }
  return (pen_x / 64.0 / impl_->dpi * 25.4) - x_mm;
}

void Canvas::Fill(double x_mm, double y_mm, double w_mm, double h_mm, uint8_t gray) {
  Box* box = boxCreate(Px(x_mm), Px(y_mm), Px(w_mm), Px(h_mm));
  pixSetInRectArbitrary(impl_->page.get(), box, gray);
  boxDestroy(&box);
}

void Canvas::Paste(const Image& bitonal, double x_mm, double y_mm) {
  if (bitonal.depth() != 1) return;
  Pix* pix = impl_->page.get();
  const int pw = pixGetWidth(pix), ph = pixGetHeight(pix), wpl = pixGetWpl(pix);
  l_uint32* data = pixGetData(pix);
  const l_uint32* src = pixGetData(bitonal.get());
  const int swpl = pixGetWpl(bitonal.get());
  const int x0 = Px(x_mm), y0 = Px(y_mm);
  for (int y = 0; y < bitonal.height(); ++y) {
    if (y0 + y < 0 || y0 + y >= ph) continue;
    for (int x = 0; x < bitonal.width(); ++x) {
      if (x0 + x < 0 || x0 + x >= pw) continue;
      if (GET_DATA_BIT(src + y * swpl, x)) SET_DATA_BYTE(data + (y0 + y) * wpl, x0 + x, 0);
    }
  }
}

Image Canvas::Snapshot() const { return impl_->page.Clone(); }

}  // namespace postmottak
