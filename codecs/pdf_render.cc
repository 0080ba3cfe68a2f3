#include "codecs/pdf_render.h"

#include <leptonica/allheaders.h>

#include <filesystem>

namespace postmottak {

namespace {

constexpr const char* kPdftoppm = "/usr/bin/pdftoppm";
constexpr const char* kPdftotext = "/usr/bin/pdftotext";

// Decodes one UTF-8 code point at `i`, advancing it; 0xFFFD for a malformed sequence.
char32_t NextCodePoint(const std::string& s, size_t* i) {
  const auto b = static_cast<unsigned char>(s[(*i)++]);
  if (b < 0x80) return b;
  int extra = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : -1;
  if (extra < 0) return 0xFFFD;
  char32_t cp = b & (0x3F >> extra);
  for (; extra > 0; --extra) {
    if (*i >= s.size()) return 0xFFFD;
    const auto c = static_cast<unsigned char>(s[*i]);
    if ((c & 0xC0) != 0x80) return 0xFFFD;
    cp = (cp << 6) | (c & 0x3F);
    ++*i;
  }
  return cp;
}

// The child works in its own folder, and an absolute path never reads as an option.
std::string Absolute(const std::string& path) {
  std::error_code ec;
  auto abs = std::filesystem::absolute(path, ec);
  return ec ? path : abs.string();
}

bool IsWordlike(char32_t c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  if (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) return true;  // Latin letters
  if (c >= 0x21 && c <= 0x7E) return true;                             // ASCII punctuation
  switch (c) {
    case 0xA7:
    case 0xAB:
    case 0xBB:
    case 0xB0:
    case 0x2013:
    case 0x2014:
    case 0x2018:
    case 0x2019:
    case 0x201C:
    case 0x201D:
    case 0x2022:
    case 0x2026:
    case 0x20AC:
      return true;
    default:
      return false;
  }
}

}  // namespace

bool TextLayerIsSound(const std::string& text) {
  int64_t visible = 0, good = 0, bad = 0;
  for (size_t i = 0; i < text.size();) {
    const char32_t c = NextCodePoint(text, &i);
    if (c == ' ' || c == '\n' || c == '\t' || c == '\f' || c == '\r' || c == 0xA0) continue;
    ++visible;
    if (c == 0xFFFD || (c >= 0xE000 && c <= 0xF8FF) || c < 0x20)
      ++bad;
    else if (IsWordlike(c))
      ++good;
  }
  if (visible < 20) return false;
  return bad * 100 <= visible && good * 100 >= visible * 90;
}

Result<Image> RenderPdfPage(const std::string& path, int page, int dpi, int width, int height,
                            const SandboxLimits& limits) {
  SandboxLimits l = limits;
  // A PGM header, then one byte per pixel; a few pixels of rounding either way.
  l.max_output = static_cast<int64_t>(width + 2) * (height + 2) + 64;
  const std::string p = std::to_string(page);
  auto out = RunSandboxed(
      {kPdftoppm, "-q", "-f", p, "-l", p, "-r", std::to_string(dpi), "-gray", Absolute(path)}, l);
  if (!out.ok()) return out.status().WithContext("page cannot be rendered");
  Pix* pix = pixReadMemPnm(reinterpret_cast<const l_uint8*>(out->data()), out->size());
  if (!pix || pixGetDepth(pix) != 8) {
    if (pix) pixDestroy(&pix);
    return Status::Corruption("page cannot be rendered: the renderer's output is not a gray image");
  }
  pixSetResolution(pix, dpi, dpi);
  return Image(pix);
}

Result<std::string> PdfPageText(const std::string& path, int page, const SandboxLimits& limits) {
  SandboxLimits l = limits;
  l.max_output = std::min<int64_t>(limits.max_output, int64_t{4} << 20);
  const std::string p = std::to_string(page);
  auto out = RunSandboxed(
      {kPdftotext, "-q", "-f", p, "-l", p, "-enc", "UTF-8", "-eol", "unix", Absolute(path), "-"},
      l);
  if (!out.ok()) return out.status().WithContext("text layer cannot be read");
  return out;
}

}  // namespace postmottak
