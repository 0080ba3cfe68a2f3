// Inventory: what a batch holds, found before its first page is read.
//
// Intake lists the input files, checksums each one and counts its pages (under the
// same limits the reader applies), so that every page can later be accounted for:
// reconciliation compares the ledger against this list, and a rerun of the same
// inputs finds the same batch and resumes it. A scanning vendor's delivery (a zip,
// perhaps encrypted: pipeline/vendor/opening.h) is opened here and listed file by file:
// each mail piece's PDF, named "<delivery>/<name in the zip>", with its metadata, and
// every file the delivery refuses with the reason. A folder may carry a manifest
// (manifest.json: the sender's list of files, page counts and checksums); it is read
// here, kept with the batch and checked by `reconcile`, and is not itself an input.
#ifndef POSTMOTTAK_PIPELINE_STAGES_INVENTORY_H_
#define POSTMOTTAK_PIPELINE_STAGES_INVENTORY_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "codecs/page_source.h"
#include "pipeline/vendor/decryption.h"
#include "storage/records.h"
#include "storage/status.h"

namespace postmottak {

inline constexpr const char* kManifestName = "manifest.json";
inline constexpr int64_t kMaxManifestBytes = int64_t{16} << 20;

// A manifest:
//   {"batch": "2026-11-23-oslo-1",              (optional)
//    "files": [{"name": "scan-0001.tif",         relative to the manifest's folder
//               "pages": 12,                     (optional)
//               "sha256": "9f86d0..."}]}         (optional, 64 hex digits)
struct Manifest {
  std::string batch;
  std::vector<ManifestFile> files;
};
// Parses and validates a manifest; errors name `source_name` and the offending field.
Result<Manifest> ParseManifest(const std::string& json_text, const std::string& source_name);
Result<Manifest> LoadManifest(const std::string& path);

struct OpenedDelivery;

// A delivered file's companions in its delivery, kept with the batch: the metadata XML
// and the vendor's text (paths, empty when there is none).
struct DeliveredCompanions {
  std::string xml;
  std::string ocr;
};

struct Inventory {
  std::vector<BatchFile> files;  // in intake order: each input in turn, folders in name order
  // For each file, where its bytes are read this run: its name, or the copy unpacked
  // from its delivery; and its companions (empty but for delivered pieces).
  std::vector<std::string> paths;
  std::vector<DeliveredCompanions> companions;
  // The opened deliveries: they own the unpacked copies, which live as long as this.
  std::vector<std::shared_ptr<const OpenedDelivery>> deliveries;
  std::optional<Manifest> manifest;
  std::string manifest_dir;  // the folder the manifest names its files relative to
};

// Lists the inputs (folders walked recursively, in name order), checksums each file
// and counts its pages. A file that cannot be opened is listed with its error, never
// dropped; a delivery that cannot be opened (`vendor_key` decrypts encrypted ones) is
// listed whole, refused. Fails only when an input path does not exist or a manifest is
// malformed.
Result<Inventory> TakeInventory(const std::vector<std::string>& paths, const SourceLimits& limits,
                                const DecryptionKey& vendor_key = {});

// The manifest's file names as intake names the files (joined to the manifest's folder).
std::vector<ManifestFile> ResolveManifest(const Manifest& manifest, const std::string& dir);

// The batch id for an inventory when none is given: the manifest's batch name, else
// "batch-" and 16 hex digits over the files' checksums, so that rerunning the same
// files finds the same batch and resumes it.
std::string DerivedBatchId(const Inventory& inventory);

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_STAGES_INVENTORY_H_
