#include "pipeline/vendor/opening.h"

#include <filesystem>

#include "codecs/zip_archive.h"
#include "pipeline/stages/extraction.h"

namespace postmottak {

namespace fs = std::filesystem;

namespace {

bool EndsWith(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

std::string OpenedDelivery::NameOf(const std::string& path) const {
  return fs::path(path).lexically_relative(folder).string();
}

bool IsDeliveryName(const std::string& path) {
  const std::string name = LowerNorwegian(fs::path(path).filename().string());
  return EndsWith(name, ".zip") || EndsWith(name, ".zip.pgp") || EndsWith(name, ".zip.gpg");
}

Result<OpenedDelivery> OpenDelivery(const std::string& path, const DecryptionKey& key,
                                    const SourceLimits& limits) {
  OpenedDelivery out;
  out.scratch = std::make_unique<ScratchDir>("delivery");
  if (out.scratch->path().empty())
    return Status::IOError(path + ": cannot create a scratch folder to unpack it in");
  std::string zip = path;
  if (LooksEncrypted(path)) {
    if (key.secret_key_file.empty())
      return Status::InvalidArgument(path + " is encrypted, and no vendor key is configured");
    zip = out.scratch->path() + "/delivery.zip";
    PM_RETURN_IF_ERROR(DecryptDelivery(path, zip, key));
  }
  out.folder = out.scratch->path() + "/files";
  std::error_code ec;
  fs::create_directories(out.folder, ec);
  if (ec) return Status::IOError(path + ": cannot unpack: " + ec.message());
  auto names = UnpackZip(zip, out.folder);
  if (!names.ok()) {
    // The errors of a decrypted copy name the scratch file: name the delivery instead.
    std::string m = names.status().message();
    if (auto at = m.find(zip); zip != path && at != std::string::npos)
      m.replace(at, zip.size(), path + " (decrypted)");
    return names.status().WithMessage(std::move(m));
  }
  // An empty delivery is no delivery: refused, so that it is seen rather than vanish.
  if (names->empty()) return Status::InvalidArgument(path + ": holds no files");
  // The plaintext is no longer needed once unpacked: do not hold it twice on disk.
  if (zip != path) fs::remove(zip, ec);
  auto delivery = ReadDelivery(out.folder, *names, limits);
  if (!delivery.ok()) return delivery.status();
  out.delivery = std::move(delivery).value();
  return out;
}

}  // namespace postmottak
