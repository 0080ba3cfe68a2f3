// A PDF of stored page images, for a document that has no PDF of its own (its OCR was
// deferred and has not run yet): the archive still needs the pages as a file.
//
// A JPEG page goes in as it is (its compressed bytes become the page's image stream:
// no second lossy encoding); any other page is decoded and written as CCITT G4 when
// bitonal, else losslessly (Flate). The same pages give the same bytes: no creation
// date or random id is written.
#ifndef POSTMOTTAK_CODECS_IMAGE_PDF_H_
#define POSTMOTTAK_CODECS_IMAGE_PDF_H_

#include <string>
#include <vector>

#include "codecs/image.h"
#include "storage/status.h"

namespace postmottak {

struct PageImageBytes {
  std::string bytes;
  bool jpeg = false;  // `bytes` is a JPEG file
};

// One page per image, in order. A decoded image beyond `limits` is refused; an error
// names the page (1-based) it failed on.
Result<std::string> PageImagesPdf(const std::vector<PageImageBytes>& pages,
                                  const ImageLimits& limits = {});

}  // namespace postmottak

#endif  // POSTMOTTAK_CODECS_IMAGE_PDF_H_
