// Internal to codecs/: the PDF page source. Each page of a scanned PDF holds one image;
// it is extracted as stored (JPEG as JPEG, CCITT G4 wrapped as TIFF, Flate as raw
// samples) and decoded once, which is both faster and truer than rendering the page.
#ifndef POSTMOTTAK_CODECS_PDF_IMAGES_H_
#define POSTMOTTAK_CODECS_PDF_IMAGES_H_

#include <memory>
#include <string>

#include "codecs/page_source.h"

namespace postmottak {

Result<std::unique_ptr<PageSource>> OpenPdfSource(const std::string& path,
                                                  const SourceLimits& limits);

// A minimal little-endian TIFF around raw CCITT data, so libtiff can decode it.
std::string WrapCcittAsTiff(const std::string& ccitt, int width, int height, int k,
                            bool black_is_1);

}  // namespace postmottak

#endif  // POSTMOTTAK_CODECS_PDF_IMAGES_H_
