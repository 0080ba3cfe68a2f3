// Fuzz target: manifest.json as a scanning station (or anyone) may write it.
// Invariant: what is accepted holds only safe relative names, listed once.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>

#include "pipeline/stages/inventory.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto m = postmottak::ParseManifest(std::string(reinterpret_cast<const char*>(data), size),
                                     "fuzz/manifest.json");
  if (!m.ok()) return 0;
  std::set<std::string> names;
  for (const auto& f : m->files) {
    if (f.name.empty() || f.name.front() == '/') std::abort();
    // No part may climb out of the batch folder ("..s/x" is a name like any other).
    for (const auto& part : std::filesystem::path(f.name))
      if (part == "..") std::abort();
    if (!names.insert(f.name).second) std::abort();
  }
  postmottak::ResolveManifest(*m, "/batch");
  return 0;
}
