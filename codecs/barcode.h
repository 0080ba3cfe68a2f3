// Barcodes: finding them on a page and drawing them for cover sheets (zxing-cpp 1.4).
//
// Two limits of zxing-cpp 1.4 (Debian 12) shape this interface:
//  * its Code 128 reader with tryHarder aborts on an assertion when it merges several
//    results (zxing-cpp issues #516, #740, fixed in 2.x), so linear symbols are read
//    one per page, which is all a cover sheet carries;
//  * its DataMatrix detector searches outward from the image centre and misses a
//    small symbol near a page corner, so matrix symbols are searched in windows
//    centred where the layout puts them.
#ifndef POSTMOTTAK_CODECS_BARCODE_H_
#define POSTMOTTAK_CODECS_BARCODE_H_

#include <string>
#include <vector>

#include "codecs/image.h"
#include "storage/status.h"

namespace postmottak {

enum class Symbology { kCode128, kDataMatrix, kOther };
std::string ToString(Symbology s);

struct Barcode {
  Symbology symbology = Symbology::kOther;
  std::string text;
};

// The Code 128 symbol on the page, in any orientation, if zxing decodes one. The page
// is read at `scale` (area-mapped down, interpolated up): the cost is the pixels read,
// and zxing needs bars of about three pixels, no fewer.
std::vector<Barcode> FindLinearBarcode(const Image& page, double scale = 1.0);

// A square search window in page pixels.
struct Window {
  int center_x = 0;
  int center_y = 0;
  int side = 0;
};
// DataMatrix symbols inside the given windows (clipped to the page).
std::vector<Barcode> FindMatrixBarcodes(const Image& page, const std::vector<Window>& windows);

// Draws a symbol as a 1 bpp image: `module_px` pixels per module; `height_px` is the bar
// height of a Code 128 (a DataMatrix is square).
Result<Image> DrawBarcode(Symbology symbology, const std::string& text, int module_px,
                          int height_px = 0);

}  // namespace postmottak

#endif  // POSTMOTTAK_CODECS_BARCODE_H_
