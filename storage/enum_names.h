// Enums stored and printed by name: each enum has a table of names in value order.
#ifndef POSTMOTTAK_STORAGE_ENUM_NAMES_H_
#define POSTMOTTAK_STORAGE_ENUM_NAMES_H_

#include <cstddef>
#include <string>

namespace postmottak {

template <typename E, size_t N>
std::string EnumName(E e, const char* const (&names)[N]) {
  const size_t i = static_cast<size_t>(e);
  return i < N ? names[i] : "unknown";
}

// The value named `s`, into *out; false when no value has that name.
template <typename E, size_t N>
bool ParseEnum(const std::string& s, const char* const (&names)[N], E* out) {
  for (size_t i = 0; i < N; ++i) {
    if (s == names[i]) {
      *out = static_cast<E>(i);
      return true;
    }
  }
  return false;
}

// The value named `s`, or `fallback` (records written by an older or newer build).
template <typename E, size_t N>
E EnumValue(const std::string& s, const char* const (&names)[N], E fallback) {
  ParseEnum(s, names, &fallback);
  return fallback;
}

}  // namespace postmottak

#endif  // POSTMOTTAK_STORAGE_ENUM_NAMES_H_
