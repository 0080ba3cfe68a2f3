// Zip archives from outside (a scanning vendor's delivery), unpacked with bounds that a
// hostile archive cannot pass.
//
// libarchive reads the archive; nothing it says about sizes is trusted. Every entry is
// counted and measured as its bytes are written: too many entries, an entry or the whole
// past its bound, or more bytes out than `max_ratio` times the archive's own size (a zip
// bomb) stop the unpacking with the archive and the entry named, and what was written is
// removed. Names that would reach outside the folder (`..`, an absolute path, a
// backslash, a drive) and entries that are links or devices are refused, never cleaned
// up into something else.
#ifndef POSTMOTTAK_CODECS_ZIP_ARCHIVE_H_
#define POSTMOTTAK_CODECS_ZIP_ARCHIVE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "storage/status.h"

namespace postmottak {

struct ArchiveLimits {
  int max_entries = 20000;
  int64_t max_entry_bytes = int64_t{256} << 20;  // one PDF of a few hundred pages
  int64_t max_total_bytes = int64_t{4} << 30;
  // Bytes out per byte of archive, past which it is a zip bomb (scanned PDFs hardly
  // compress; a bomb expands a thousandfold). Checked once a MiB is out.
  int max_ratio = 100;
};

// The regular files of the zip at `path`, written under `into_dir` (which must exist)
// with their names as in the archive (folders created). Returns the names, in archive
// order. InvalidArgument names the archive and the entry at fault; IOError a disk error.
Result<std::vector<std::string>> UnpackZip(const std::string& path, const std::string& into_dir,
                                           const ArchiveLimits& limits = {});

// Whether an entry name stays inside the folder it is unpacked into: relative, no `..`
// part, no backslash or colon, no NUL, at most 255 bytes a part.
bool IsSafeEntryName(const std::string& name);

}  // namespace postmottak

#endif  // POSTMOTTAK_CODECS_ZIP_ARCHIVE_H_
