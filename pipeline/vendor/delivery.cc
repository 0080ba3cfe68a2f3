#include "pipeline/vendor/delivery.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "codecs/file_bytes.h"
#include "pipeline/stages/extraction.h"

namespace postmottak {

namespace fs = std::filesystem;

namespace {

// The files of one base name, by their lower-case extension.
struct Group {
  std::map<std::string, std::string> by_ext;  // ".pdf" -> name
  std::vector<std::string> Files(const std::string& dir) const {
    std::vector<std::string> out;
    for (const auto& [ext, name] : by_ext) out.push_back((fs::path(dir) / name).string());
    return out;
  }
};

// One complete pair checked: the metadata valid and about this PDF, the PDF readable
// with the pages the metadata says. The refusal's reason otherwise.
Result<VendorPiece> CheckPair(const std::string& dir, const std::string& base, const Group& g,
                              const SourceLimits& limits) {
  VendorPiece piece;
  piece.base = base;
  piece.pdf = (fs::path(dir) / g.by_ext.at(".pdf")).string();
  piece.xml = (fs::path(dir) / g.by_ext.at(".xml")).string();
  if (g.by_ext.count(".ocr")) piece.ocr = (fs::path(dir) / g.by_ext.at(".ocr")).string();
  auto xml = ReadFileBytes(piece.xml, kMaxScanMetadataBytes, g.by_ext.at(".xml"));
  if (!xml.ok()) return xml.status();
  if (!piece.ocr.empty()) {
    std::error_code ec;
    if (fs::file_size(piece.ocr, ec) > static_cast<uintmax_t>(kMaxVendorTextBytes) && !ec)
      return Status::InvalidArgument(g.by_ext.at(".ocr") + ": larger than " +
                                     std::to_string(kMaxVendorTextBytes) + " bytes");
  }
  auto metadata = ParseScanMetadata(*xml, g.by_ext.at(".xml"));
  if (!metadata.ok()) return metadata.status();
  piece.metadata = std::move(metadata).value();
  const std::string pdf_name = fs::path(piece.pdf).filename().string();
  if (piece.metadata.file_name != pdf_name)
    return Status::InvalidArgument(g.by_ext.at(".xml") + ": filnavn names " +
                                   piece.metadata.file_name + ", not " + pdf_name);
  if (SniffFile(piece.pdf) != SourceFormat::kPdf)
    return Status::InvalidArgument(g.by_ext.at(".pdf") + ": not a PDF");
  auto source = PageSource::Open(piece.pdf, limits);
  if (!source.ok())
    return Status::InvalidArgument(g.by_ext.at(".pdf") +
                                   ": cannot be read: " + source.status().message());
  piece.pages = (*source)->page_count();
  if (piece.metadata.pages > 0 && piece.metadata.pages != piece.pages)
    return Status::InvalidArgument(
        g.by_ext.at(".xml") + ": antallSider says " + std::to_string(piece.metadata.pages) + ", " +
        g.by_ext.at(".pdf") + " has " + std::to_string(piece.pages) + " pages");
  return piece;
}

}  // namespace

Result<Delivery> ReadDelivery(const std::string& dir, const std::vector<std::string>& names,
                              const SourceLimits& limits) {
  if (!fs::is_directory(dir)) return Status::IOError(dir + " is not a folder");
  std::map<std::string, Group> groups;  // by base name, in name order
  Delivery out;
  for (const auto& name : names) {
    const fs::path p(name);
    const std::string ext = LowerNorwegian(p.extension().string());
    const std::string base = (p.parent_path() / p.stem()).string();
    if (ext != ".pdf" && ext != ".xml" && ext != ".ocr") {
      out.refused.push_back({{(fs::path(dir) / name).string()},
                             name + ": not part of a pair (a delivery holds .pdf, .xml and .ocr)"});
      continue;
    }
    Group& g = groups[base];
    if (g.by_ext.count(ext)) {  // "a.PDF" beside "a.pdf": which is the pair's is not known
      out.refused.push_back(
          {{(fs::path(dir) / name).string()}, name + ": a second " + ext + " file for " + base});
      continue;
    }
    g.by_ext[ext] = name;
  }
  for (const auto& [base, g] : groups) {
    const bool pdf = g.by_ext.count(".pdf"), xml = g.by_ext.count(".xml");
    if (!pdf || !xml) {
      std::string has;
      for (const auto& [ext, name] : g.by_ext) has += (has.empty() ? "" : ", ") + name;
      out.refused.push_back({g.Files(dir), "half pair: " + has + " without " + base +
                                               (pdf   ? ".xml"
                                                : xml ? ".pdf"
                                                      : ".pdf and .xml")});
      continue;
    }
    auto piece = CheckPair(dir, base, g, limits);
    if (!piece.ok()) {
      if (piece.status().code() == Status::Code::kIOError) return piece.status();
      out.refused.push_back({g.Files(dir), piece.status().message()});
      continue;
    }
    out.pieces.push_back(std::move(piece).value());
  }
  return out;
}

}  // namespace postmottak
