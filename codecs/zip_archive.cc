#include "codecs/zip_archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

namespace postmottak {

namespace fs = std::filesystem;

namespace {

struct ArchiveCloser {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveCloser>;

struct FdCloser {
  int fd;
  ~FdCloser() {
    if (fd >= 0) close(fd);
  }
};

// What one unpacking has written, and how much: removed again unless it completes.
class Unpacking {
 public:
  Unpacking(std::string archive, const ArchiveLimits& limits, int64_t archive_bytes)
      : archive_(std::move(archive)), limits_(limits), archive_bytes_(archive_bytes) {}
  ~Unpacking() {
    if (done_) return;
    std::error_code ec;
    for (auto it = written_.rbegin(); it != written_.rend(); ++it) fs::remove(*it, ec);
  }
  void Done() { done_ = true; }

  Status Refuse(const std::string& entry, const std::string& why) const {
    return Status::InvalidArgument(archive_ + (entry.empty() ? "" : ": entry '" + entry + "'") +
                                   ": " + why);
  }

  // Creates `folder` (relative) under `root`, part by part, remembering each new one.
  Status MakeFolders(const fs::path& root, const fs::path& folder) {
    fs::path at = root;
    for (const auto& part : folder) {
      at /= part;
      if (mkdir(at.c_str(), 0700) == 0) {
        written_.push_back(at);
      } else if (errno != EEXIST) {
        return Status::IOError("cannot create " + at.string());
      }
    }
    return Status::OK();
  }

  // Streams the current entry's data into `path`, bounded as it goes.
  Status WriteEntry(archive* a, const std::string& name, const fs::path& path) {
    const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
      return errno == EEXIST ? Refuse(name, "appears twice in the archive")
                             : Status::IOError("cannot create " + path.string());
    FdCloser closer{fd};
    written_.push_back(path);
    int64_t entry_bytes = 0;
    char buffer[64 * 1024];
    for (;;) {
      const la_ssize_t n = archive_read_data(a, buffer, sizeof buffer);
      if (n == 0) break;
      if (n < 0) return Refuse(name, std::string("cannot be read: ") + archive_error_string(a));
      entry_bytes += n;
      total_bytes_ += n;
      if (entry_bytes > limits_.max_entry_bytes)
        return Refuse(name, "larger than " + std::to_string(limits_.max_entry_bytes) + " bytes");
      if (total_bytes_ > limits_.max_total_bytes)
        return Refuse(name, "the archive unpacks to more than " +
                                std::to_string(limits_.max_total_bytes) + " bytes");
      if (total_bytes_ > (int64_t{1} << 20) &&
          total_bytes_ > static_cast<int64_t>(limits_.max_ratio) * archive_bytes_)
        return Refuse(name, "expands more than " + std::to_string(limits_.max_ratio) +
                                " times the archive's size (a zip bomb)");
      for (la_ssize_t off = 0; off < n;) {
        const ssize_t w = write(fd, buffer + off, static_cast<size_t>(n - off));
        if (w < 0) return Status::IOError("cannot write " + path.string());
        off += w;
      }
    }
    return Status::OK();
  }

 private:
  std::string archive_;
  ArchiveLimits limits_;
  int64_t archive_bytes_;
  int64_t total_bytes_ = 0;
  std::vector<fs::path> written_;
  bool done_ = false;
};

}  // namespace

bool IsSafeEntryName(const std::string& name) {
  if (name.empty() || name.size() > 4096 || name.front() == '/') return false;
  if (name.find('\\') != std::string::npos || name.find(':') != std::string::npos ||
      name.find('\0') != std::string::npos)
    return false;
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string::npos) end = name.size();
    const std::string part = name.substr(start, end - start);
    if (part == ".." || part == "." || part.size() > 255) return false;
    if (part.empty() && end != name.size()) return false;  // "a//b"
    start = end + 1;
  }
  return true;
}

Result<std::vector<std::string>> UnpackZip(const std::string& path, const std::string& into_dir,
                                           const ArchiveLimits& limits) {
  std::error_code ec;
  const auto archive_bytes = fs::file_size(path, ec);
  if (ec) return Status::IOError("cannot read " + path + ": " + ec.message());
  ArchivePtr a(archive_read_new());
  if (!a) return Status::IOError("libarchive: out of memory");
  archive_read_support_format_zip(a.get());
  Unpacking out(path, limits, static_cast<int64_t>(archive_bytes));
  if (archive_read_open_filename(a.get(), path.c_str(), 64 * 1024) != ARCHIVE_OK)
    return out.Refuse("", std::string("not a zip archive: ") + archive_error_string(a.get()));
  std::vector<std::string> names;
  archive_entry* entry = nullptr;
  int entries = 0;
  int r = ARCHIVE_OK;
  while ((r = archive_read_next_header(a.get(), &entry)) == ARCHIVE_OK) {
    const char* raw = archive_entry_pathname(entry);
    const std::string name = raw ? raw : "";
    if (++entries > limits.max_entries)
      return out.Refuse("", "more than " + std::to_string(limits.max_entries) + " entries");
    const std::string bare =
        !name.empty() && name.back() == '/' ? name.substr(0, name.size() - 1) : name;
    if (!IsSafeEntryName(bare)) return out.Refuse(name, "its name reaches outside the folder");
    const mode_t type = archive_entry_filetype(entry);
    if (type == AE_IFDIR) {
      PM_RETURN_IF_ERROR(out.MakeFolders(into_dir, bare));
      continue;
    }
    if (type != AE_IFREG) return out.Refuse(name, "is a link or a device, not a file");
    PM_RETURN_IF_ERROR(out.MakeFolders(into_dir, fs::path(bare).parent_path()));
    PM_RETURN_IF_ERROR(out.WriteEntry(a.get(), name, fs::path(into_dir) / bare));
    names.push_back(bare);
  }
  if (r != ARCHIVE_EOF)
    return out.Refuse("", std::string("damaged: ") + archive_error_string(a.get()));
  out.Done();
  return names;
}

}  // namespace postmottak
