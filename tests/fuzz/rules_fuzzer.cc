// Fuzz target: the rules file. Invariant: accepted rules answer every question about
// the areas and types they name without failing.
#include <cstddef>
#include <cstdint>
#include <string>

#include "pipeline/config/rules.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto rules = postmottak::Rules::Parse(std::string(reinterpret_cast<const char*>(data), size),
                                        "fuzz/rules.json");
  if (!rules.ok()) return 0;
  for (const auto& area : postmottak::KnownAreas()) {
    rules->Area(area);
    for (const auto& [id, type] : rules->document_types()) {
      rules->Plausible(area, id);
      rules->TitleOf(id);
    }
  }
  return 0;
}
