// ScratchDir: a private temporary folder, the one owner of it and everything in it.
// Made with mkdtemp (mode 0700, a name nobody else can predict) and removed, contents
// and all, when the object goes.
#ifndef POSTMOTTAK_CODECS_SCRATCH_DIR_H_
#define POSTMOTTAK_CODECS_SCRATCH_DIR_H_

#include <stdlib.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace postmottak {

class ScratchDir {
 public:
  // `prefix` names the user in the folder's name ("ocr", "retry", "sandbox").
  explicit ScratchDir(const std::string& prefix) {
    std::error_code ec;
    std::string tmpl =
        (std::filesystem::temp_directory_path(ec) / ("postmottak-" + prefix + "-XXXXXX")).string();
    if (!ec && mkdtemp(tmpl.data())) path_ = tmpl;
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ~ScratchDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }

  // Empty when the folder could not be made.
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace postmottak

#endif  // POSTMOTTAK_CODECS_SCRATCH_DIR_H_
