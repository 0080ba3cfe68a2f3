// Fuzz target: extraction of person ids, case numbers, dates and the document type from
// OCR text (any bytes may come out of OCR). Invariant: every person id extracted is
// valid.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "codecs/check_digits.h"
#include "pipeline/config/rules.h"
#include "pipeline/stages/extraction.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const postmottak::Rules rules = [] {
    auto r = postmottak::Rules::Load(POSTMOTTAK_DEFAULT_RULES);
    if (!r.ok()) std::abort();
    return std::move(r).value();
  }();
  auto e =
      postmottak::ExtractFromText(std::string(reinterpret_cast<const char*>(data), size), rules);
  for (const auto& id : e.person_ids)
    if (!postmottak::IsValidPersonId(id)) std::abort();
  return 0;
}
