#include "codecs/file_bytes.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace postmottak {

Result<std::string> ReadFileBytes(const std::string& path, int64_t max_bytes,
                                  const std::string& name) {
  const std::string& shown = name.empty() ? path : name;
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return Status::IOError(shown + ": cannot be read: " + ec.message());
  if (static_cast<int64_t>(size) > max_bytes)
    return Status::InvalidArgument(shown + ": larger than " + std::to_string(max_bytes) + " bytes");
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  if (!in) return Status::IOError(shown + ": cannot be read");
  return bytes.str();
}

}  // namespace postmottak
