#include "cli/server/batch_upload.h"

#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>

#include "codecs/sha256.h"
#include "pipeline/stages/inventory.h"

namespace postmottak {

namespace fs = std::filesystem;

namespace {

bool IsScanName(const std::string& name) {
  if (name.empty() || name.size() > 128 || name[0] == '.') return false;
  if (!std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '.' || c == '_' || c == '-';
      }))
    return false;
  if (name == kManifestName) return true;
  std::string ext = fs::path(name).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return ext == ".tif" || ext == ".tiff" || ext == ".pdf" || ext == ".png" || ext == ".jpg" ||
         ext == ".jpeg";
}

std::string MadeName() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
  std::random_device rd;
  char tail[8];
  std::snprintf(tail, sizeof tail, "%06x", static_cast<unsigned>(rd()) & 0xffffffu);
  return std::string("upload-") + stamp + "-" + tail;
}

// The staging folder is removed unless it was delivered.
struct Staging {
  fs::path dir;
  bool delivered = false;
  ~Staging() {
    std::error_code ec;
    if (!delivered && !dir.empty()) fs::remove_all(dir, ec);
  }
};

// The sender's manifest as received, parsed and checked once; null when none was sent.
Result<nlohmann::json> SentManifest(const fs::path& dir) {
  const fs::path path = dir / kManifestName;
  if (!fs::exists(path)) return nlohmann::json();
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  auto checked = ParseManifest(text.str(), "of the upload");
  if (!checked.ok()) return checked.status();
  return nlohmann::json::parse(text.str());
}

// The batch's manifest: the sender's with the batch's name, else one listing the files
// received with their checksums.
Status WriteManifest(const fs::path& dir, const std::string& batch, nlohmann::json manifest,
                     const std::vector<std::string>& files) {
  if (manifest.is_null()) {
    manifest["files"] = nlohmann::json::array();
    for (const auto& name : files) {
      auto sha = Sha256OfFile((dir / name).string());
      if (!sha.ok()) return sha.status();
      manifest["files"].push_back({{"name", name}, {"sha256", *sha}});
    }
  }
  manifest["batch"] = batch;
  std::ofstream out(dir / kManifestName, std::ios::trunc);
  out << manifest.dump(2) << "\n";
  return out ? Status::OK() : Status::IOError("cannot write the manifest of " + batch);
}

// The name asked for, else the manifest's, else one made now. A manifest that names
// another batch than the one asked for is refused: one of the two is a mistake.
Result<std::string> BatchName(const nlohmann::json& manifest, const std::string& asked) {
  const std::string named = manifest.is_object() ? manifest.value("batch", "") : "";
  if (!asked.empty() && !named.empty() && named != asked)
    return Status::InvalidArgument("the manifest names batch " + named + ", the request " + asked);
  if (!asked.empty()) return asked;
  return named.empty() ? MadeName() : named;
}

}  // namespace

Result<UploadedBatch> ReceiveBatch(const PartReader& read, const std::string& batch,
                                   const ServerLimits& limits, Inbox* inbox,
                                   const std::string& principal, const std::string& purpose) {
  if (!batch.empty() && !IsValidBatchName(batch))
    return Status::InvalidArgument("batch name \"" + batch +
                                   "\" must be 1-64 letters, digits, '.', '_' or '-'");
  Staging staging;
  std::string tmpl = (fs::path(inbox->staging_dir()) / "upload-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) return Status::IOError("cannot stage an upload in the inbox");
  staging.dir = tmpl;

  UploadedBatch out;
  Status refused;
  std::set<std::string> names;
  std::vector<std::string> files;
  std::unique_ptr<std::ofstream> file;
  std::string part;  // the part being received, for the errors
  const bool read_ok = read(
      [&](const std::string& filename) {
        if (!IsScanName(filename)) {
          refused = Status::InvalidArgument(
              "part '" + filename.substr(0, 128) +
              "': a file name must be a plain name (letters, digits, '.', '_', '-') ending in "
              ".tif, .tiff, .pdf, .png, .jpg or .jpeg, or manifest.json");
          return false;
        }
        if (!names.insert(filename).second) {
          refused = Status::InvalidArgument("part '" + filename + "' is sent twice");
          return false;
        }
        if (filename != kManifestName && ++out.files > limits.max_upload_files) {
          refused = Status::InvalidArgument("more than " + std::to_string(limits.max_upload_files) +
                                            " files in one upload");
          return false;
        }
        if (filename != kManifestName) files.push_back(filename);
        part = filename;
        file = std::make_unique<std::ofstream>(staging.dir / filename, std::ios::binary);
        if (!*file) refused = Status::IOError("cannot write part '" + part + "' to the inbox");
        return static_cast<bool>(*file);
      },
      [&](const char* data, size_t n) {
        out.bytes += static_cast<int64_t>(n);
        if (out.bytes > limits.max_upload_bytes) {
          refused = Status::InvalidArgument("the upload is larger than " +
                                            std::to_string(limits.max_upload_bytes) + " bytes");
          return false;
        }
        if (file && file->write(data, static_cast<std::streamsize>(n)).good()) return true;
        refused = Status::IOError("cannot write part '" + part + "' to the inbox");
        return false;
      });
  if (file) file->close();
  if (!refused.ok()) return refused;
  if (!read_ok)
    return Status::InvalidArgument("the upload was cut off or is not multipart/form-data");
  if (files.empty()) return Status::InvalidArgument("the upload holds no scanned file");
  auto manifest = SentManifest(staging.dir);
  if (!manifest.ok()) return manifest.status();
  auto name = BatchName(*manifest, batch);
  if (!name.ok()) return name.status();
  PM_RETURN_IF_ERROR(WriteManifest(staging.dir, *name, std::move(manifest).value(), files));
  PM_RETURN_IF_ERROR(inbox->Deliver(staging.dir.string(), *name, principal, purpose));
  staging.delivered = true;
  out.batch = *name;
  return out;
}

}  // namespace postmottak
