// Opening a scanning vendor's delivery: decrypted when its name says it is encrypted,
// unpacked under the archive limits (codecs/zip_archive.h) and read into mail pieces
// and refusals (delivery.h). Intake and `delivery check` both open deliveries here, so
// what the check shows is what intake takes in.
#ifndef POSTMOTTAK_PIPELINE_VENDOR_OPENING_H_
#define POSTMOTTAK_PIPELINE_VENDOR_OPENING_H_

#include <memory>
#include <string>

#include "codecs/page_source.h"
#include "codecs/scratch_dir.h"
#include "pipeline/vendor/decryption.h"
#include "pipeline/vendor/delivery.h"
#include "storage/status.h"

namespace postmottak {

// An opened delivery. Its files lie in a scratch folder it owns: they are removed when
// it goes, so it must outlive every read of them.
struct OpenedDelivery {
  std::unique_ptr<ScratchDir> scratch;
  std::string folder;  // the unpacked files; every path in `delivery` lies under it
  Delivery delivery;

  // A path under `folder` as the delivery names it ("2026/skan-1.pdf").
  std::string NameOf(const std::string& path) const;
};

// Whether `path` names a delivery: `*.zip`, or an encrypted one (`*.zip.pgp`,
// `*.zip.gpg`, `*.enc.zip`).
bool IsDeliveryName(const std::string& path);

// Opens the delivery at `path`. Fails, naming `path`, when it is encrypted and `key`
// names no key file, when it cannot be decrypted or unpacked (traversal, a bomb, too many
// entries, damage: zip_archive.h), or with IOError for the disk. Bad pairs are not
// failures: they are the delivery's refusals.
Result<OpenedDelivery> OpenDelivery(const std::string& path, const DecryptionKey& key,
                                    const SourceLimits& limits);

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_VENDOR_OPENING_H_
