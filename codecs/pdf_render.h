// Internal to codecs/: PDF pages that hold no single scanned image we can extract
// (born-digital pages of text and vector graphics, JBIG2 and other filters, palette,
// ICC, DeviceN, Separation and Lab colour spaces), rendered by poppler's `pdftoppm`, and
// their text layer read by `pdftotext`, each in a sandboxed child process
// (codecs/sandbox.h): poppler is GPL, so it runs beside Postmottak, never inside it, and
// a crash or hang of the renderer costs that page only.
#ifndef POSTMOTTAK_CODECS_PDF_RENDER_H_
#define POSTMOTTAK_CODECS_PDF_RENDER_H_

#include <string>

#include "codecs/image.h"
#include "codecs/sandbox.h"

namespace postmottak {

// Renders 1-based `page` of the PDF at `path` as 8 bpp gray (255 = white) at `dpi`.
// `width` and `height` are the pixels the caller expects (from the page's box, checked
// against the limits before this is called): the output is refused when it is larger.
Result<Image> RenderPdfPage(const std::string& path, int page, int dpi, int width, int height,
                            const SandboxLimits& limits);

// The text layer of 1-based `page`, in reading order, UTF-8.
Result<std::string> PdfPageText(const std::string& path, int page, const SandboxLimits& limits);

// True when a text layer reads like text a person wrote: enough of it, mostly letters,
// digits and ordinary punctuation, and no replacement or private-use characters (what
// fonts without a Unicode map produce). A layer that fails is read by OCR instead.
bool TextLayerIsSound(const std::string& text);

}  // namespace postmottak

#endif  // POSTMOTTAK_CODECS_PDF_RENDER_H_
