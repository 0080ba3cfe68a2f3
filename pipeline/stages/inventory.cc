#include "pipeline/stages/inventory.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "codecs/file_bytes.h"
#include "codecs/sha256.h"
#include "pipeline/stages/extraction.h"
#include "pipeline/vendor/opening.h"

namespace postmottak {

namespace fs = std::filesystem;

namespace {

bool IsHex64(const std::string& s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// A manifest names files inside its folder: relative, no "..", no empty parts.
bool IsSafeRelativeName(const std::string& name) {
  if (name.empty() || name.size() > 4096 || name.front() == '/') return false;
  if (name.find('\0') != std::string::npos) return false;
  for (const auto& part : fs::path(name))
    if (part == ".." || part.empty()) return false;
  return true;
}

}  // namespace

Result<Manifest> ParseManifest(const std::string& json_text, const std::string& source_name) {
  if (json_text.size() > static_cast<size_t>(kMaxManifestBytes))
    return Status::InvalidArgument("manifest " + source_name + ": larger than " +
                                   std::to_string(kMaxManifestBytes) + " bytes");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(json_text);
  } catch (const std::exception& e) {
    return Status::InvalidArgument("manifest " + source_name + ": not valid JSON: " + e.what());
  }
  auto bad = [&source_name](const std::string& what) {
    return Status::InvalidArgument("manifest " + source_name + ": " + what);
  };
  if (!j.is_object()) return bad("must be a JSON object");
  Manifest m;
  if (j.contains("batch")) {
    if (!j["batch"].is_string() || !IsValidBatchName(j["batch"].get<std::string>()))
      return bad("\"batch\" must be 1-64 letters, digits, '.', '_' or '-'");
    m.batch = j["batch"].get<std::string>();
  }
  if (!j.contains("files") || !j["files"].is_array()) return bad("\"files\" must be a list");
  std::set<std::string> names;
  for (size_t i = 0; i < j["files"].size(); ++i) {
    const auto& f = j["files"][i];
    const std::string where = "files[" + std::to_string(i) + "]";
    if (!f.is_object()) return bad(where + " must be an object");
    ManifestFile mf;
    if (!f.contains("name") || !f["name"].is_string() ||
        !IsSafeRelativeName(f["name"].get<std::string>()))
      return bad(where + ".name must be a relative file name inside the batch folder");
    mf.name = fs::path(f["name"].get<std::string>()).lexically_normal().string();
    if (!names.insert(mf.name).second) return bad(where + ".name " + mf.name + " is listed twice");
    if (f.contains("pages")) {
      if (!f["pages"].is_number_integer() || f["pages"].get<int64_t>() < 1 ||
          f["pages"].get<int64_t>() > 1'000'000)
        return bad(where + ".pages must be a whole number from 1 to 1000000");
      mf.pages = static_cast<int>(f["pages"].get<int64_t>());
    }
    if (f.contains("sha256")) {
      if (!f["sha256"].is_string() || !IsHex64(f["sha256"].get<std::string>()))
        return bad(where + ".sha256 must be 64 lower-case hex digits");
      mf.sha256 = f["sha256"].get<std::string>();
    }
    m.files.push_back(std::move(mf));
  }
  return m;
}

Result<Manifest> LoadManifest(const std::string& path) {
  auto text = ReadFileBytes(path, kMaxManifestBytes, "manifest " + path);
  if (!text.ok()) return text.status();
  return ParseManifest(*text, path);
}

std::vector<ManifestFile> ResolveManifest(const Manifest& manifest, const std::string& dir) {
  std::vector<ManifestFile> out = manifest.files;
  for (auto& f : out) f.name = (fs::path(dir) / f.name).lexically_normal().string();
  return out;
}

namespace {

// A file's size and checksum, named as the batch knows it.
BatchFile Measure(const std::string& path, const std::string& name) {
  BatchFile f;
  f.name = name;
  std::error_code ec;
  f.size = static_cast<int64_t>(fs::file_size(path, ec));
  if (ec) f.size = 0;
  if (auto sha = Sha256OfFile(path); sha.ok()) f.sha256 = std::move(sha).value();
  return f;
}

// A file as intake finds it: size, checksum, and pages or why it cannot be opened.
BatchFile Describe(const std::string& path, const std::string& name, const SourceLimits& limits) {
  BatchFile f = Measure(path, name);
  auto source = PageSource::Open(path, limits);
  if (source.ok()) {
    f.pages = (*source)->page_count();
  } else {
    f.error = source.status().message();
  }
  return f;
}

void Add(Inventory* inv, BatchFile f, std::string path, DeliveredCompanions companions = {}) {
  inv->files.push_back(std::move(f));
  inv->paths.push_back(std::move(path));
  inv->companions.push_back(std::move(companions));
}

// One file of a delivery, listed: a piece's PDF or a refused file.
struct DeliveredFile {
  std::string name;  // in the delivery
  std::string path;  // unpacked
  const VendorPiece* piece = nullptr;
  std::string refused;
};

// Lists a delivery's files in name order: each piece's PDF with its receipt, each
// refused file with the reason. A delivery that cannot be opened is one refused file.
void AddDelivery(const std::string& zip, const SourceLimits& limits, const DecryptionKey& key,
                 Inventory* inv) {
  auto opened = OpenDelivery(zip, key, limits);
  if (!opened.ok()) {
    BatchFile whole = Describe(zip, zip, limits);
    whole.vendor.delivery = zip;
    whole.refused = opened.status().message();
    Add(inv, std::move(whole), zip);
    return;
  }
  auto delivery = std::make_shared<const OpenedDelivery>(std::move(opened).value());
  inv->deliveries.push_back(delivery);
  std::vector<DeliveredFile> files;
  for (const auto& p : delivery->delivery.pieces)
    files.push_back({delivery->NameOf(p.pdf), p.pdf, &p, ""});
  for (const auto& r : delivery->delivery.refused)
    for (const auto& path : r.files)
      files.push_back({delivery->NameOf(path), path, nullptr, r.reason});
  std::sort(files.begin(), files.end(),
            [](const DeliveredFile& a, const DeliveredFile& b) { return a.name < b.name; });
  for (const auto& d : files) {
    // The delivery was read already: a piece's PDF was opened and counted, and a refused
    // file goes to quarantine whole, so neither is opened again.
    BatchFile f = Measure(d.path, zip + "/" + d.name);
    if (d.piece) f.pages = d.piece->pages;
    f.vendor.delivery = zip;
    f.refused = d.refused;
    DeliveredCompanions companions;
    if (d.piece) {
      f.vendor.external_ref = d.piece->metadata.file_name;
      f.vendor.metadata = d.piece->metadata;
      companions = {d.piece->xml, d.piece->ocr};
    } else if (LowerNorwegian(fs::path(d.name).extension().string()) == ".pdf") {
      // A refused PDF is still the vendor's file: reconciliation finds it by its name.
      f.vendor.external_ref = fs::path(d.name).filename().string();
    }
    Add(inv, std::move(f), d.path, std::move(companions));
  }
}

}  // namespace

Result<Inventory> TakeInventory(const std::vector<std::string>& paths, const SourceLimits& limits,
                                const DecryptionKey& vendor_key) {
  Inventory inv;
  std::vector<std::string> names;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      const fs::path manifest = fs::path(p) / kManifestName;
      for (auto it = fs::recursive_directory_iterator(p, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
        if (it->is_regular_file() && it->path() != manifest) found.push_back(it->path().string());
      if (ec) return Status::IOError("folder " + p + " cannot be read: " + ec.message());
      std::sort(found.begin(), found.end());
      names.insert(names.end(), found.begin(), found.end());
      if (fs::exists(manifest, ec)) {
        if (inv.manifest)
          return Status::InvalidArgument("inputs carry more than one manifest: " +
                                         manifest.string());
        auto m = LoadManifest(manifest.string());
        if (!m.ok()) return m.status();
        inv.manifest = std::move(m).value();
        inv.manifest_dir = p;
      }
    } else if (fs::exists(p, ec)) {
      names.push_back(p);
    } else {
      return Status::NotFound("input " + p + " does not exist");
    }
  }
  for (const auto& name : names) {
    if (IsDeliveryName(name)) {
      AddDelivery(name, limits, vendor_key, &inv);
    } else {
      Add(&inv, Describe(name, name, limits), name);
    }
  }
  return inv;
}

std::string DerivedBatchId(const Inventory& inventory) {
  if (inventory.manifest && !inventory.manifest->batch.empty()) return inventory.manifest->batch;
  std::string all;
  for (const auto& f : inventory.files) all += (f.sha256.empty() ? f.name : f.sha256) + "\n";
  return "batch-" + Sha256Hex(all).substr(0, 16);
}

}  // namespace postmottak
