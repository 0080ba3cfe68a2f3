// Fuzz target: barcode payloads and the ids inside them (cover ids, person ids).
// Invariants: a payload parsed as a cover id is a valid one and is the whole payload;
// problems stay short and printable whatever the payload holds.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "codecs/check_digits.h"
#include "pipeline/stages/page_analysis.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  postmottak::Payload p = postmottak::ParsePayload(text);
  if (p.kind == postmottak::PayloadKind::kCoverId &&
      (p.cover_id != text || !postmottak::IsValidCoverId(p.cover_id)))
    std::abort();
  if (p.problem.size() > 300) std::abort();
  for (char c : p.problem)
    if (static_cast<unsigned char>(c) < 0x20) std::abort();
  postmottak::IsValidPersonId(text);
  postmottak::LooksLikeCoverId(text);
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos &&
      text.size() < 64) {
    const int check = postmottak::DammCheckDigit(text);
    if (!postmottak::DammValid(text + static_cast<char>('0' + check))) std::abort();
  }
  return 0;
}
