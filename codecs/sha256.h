// SHA-256 of a byte string as 64 lowercase hex digits (OpenSSL's EVP underneath).
// Used for blob checksums and for recognising a document seen before.
#ifndef POSTMOTTAK_CODECS_SHA256_H_
#define POSTMOTTAK_CODECS_SHA256_H_

#include <string>

#include "storage/status.h"

namespace postmottak {
std::string Sha256Hex(const std::string& bytes);
// The same over a file's bytes, read in blocks (a 2 GiB scan is never in memory).
Result<std::string> Sha256OfFile(const std::string& path);
}  // namespace postmottak

#endif  // POSTMOTTAK_CODECS_SHA256_H_
