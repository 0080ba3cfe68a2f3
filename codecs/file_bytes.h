// Reading a whole file into memory, within a bound: the one way Postmottak reads a file
// it did not write (a manifest, a vendor's metadata, a file kept in quarantine), so no
// file of any size is ever read whole by accident.
#ifndef POSTMOTTAK_CODECS_FILE_BYTES_H_
#define POSTMOTTAK_CODECS_FILE_BYTES_H_

#include <cstdint>
#include <string>

#include "storage/status.h"

namespace postmottak {

// The bytes of `path` when it holds at most `max_bytes`. Errors say `name` (default:
// the path): IOError when it cannot be read, InvalidArgument when it is larger.
Result<std::string> ReadFileBytes(const std::string& path, int64_t max_bytes,
                                  const std::string& name = "");

}  // namespace postmottak

#endif  // POSTMOTTAK_CODECS_FILE_BYTES_H_
