#include "pipeline/distributed/wire.h"

#include <leptonica/allheaders.h>

#include <nlohmann/json.hpp>

namespace postmottak {

using nlohmann::json;

namespace {

constexpr int kVersion = 1;  // bumped when a field changes meaning

json Binary(const std::string& bytes) {
  return json::binary(std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
}

// Reads CBOR from the network; every typed access below throws on a wrong type, which
// the callers turn into a Status.
Result<json> Parse(const std::string& bytes, const char* what) {
  // Even without exceptions the CBOR reader throws on some inputs (a length of 10^19:
  // out_of_range, found by tests/fuzz/wire_fuzzer), and value() on a wrong type.
  try {
    json j = json::from_cbor(bytes, /*strict=*/true, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object())
      return Status::Corruption(std::string(what) + " is not valid CBOR");
    const int version = j.value("v", 0);
    if (version != kVersion)
      return Status::Corruption(std::string(what) + " has an unknown wire version " +
                                std::to_string(version) + " (a worker of another release?)");
    return j;
  } catch (const json::exception& e) {
    return Status::Corruption(std::string(what) + " is not valid CBOR: " + e.what());
  }
}

std::string BytesOf(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "";
  const auto& bin = it->get_binary();
  return std::string(bin.begin(), bin.end());
}

// Where a page stands in its batch: the same fields in jobs and results.
template <typename T>
void PutPosition(const T& p, json* j) {
  (*j)["seq"] = p.seq;
  (*j)["file_index"] = p.file_index;
  (*j)["file"] = p.file;
  (*j)["path"] = p.path;
  (*j)["page"] = p.page;
}
template <typename T>
void GetPosition(const json& j, T* p) {
  p->seq = j.at("seq").get<uint64_t>();
  p->file_index = j.at("file_index").get<int>();
  p->file = j.at("file").get<std::string>();
  p->path = j.at("path").get<std::string>();
  p->page = j.at("page").get<int>();
}

std::string Cbor(const json& j) {
  const auto cbor = json::to_cbor(j);
  return std::string(cbor.begin(), cbor.end());
}

template <typename Fn>
auto Guarded(const char* what, Fn fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const json::exception& e) {
    return Status::Corruption(std::string(what) + " is malformed: " + e.what());
  }
}

}  // namespace

Result<EncodedJob> EncodeJob(const PageJob& job) {
  if (!job.image.ok()) return Status::InvalidArgument("a page that was not decoded has no job");
  const Image& image = *job.image;
  const int xres = pixGetXRes(image.get()), yres = pixGetYRes(image.get());
  // The format the page was read from: Leptonica carries it through every transform,
  // and Tesseract's PDF renderer chooses its image encoding by it.
  const int informat = pixGetInputFormat(image.get());
  // Lossless, and cheap for what scanners produce: G4 for bitonal pages (tens of KB),
  // PNG at zlib level 1 for gray and colour (a tenth of a second for A4 at 300 dpi).
  auto bytes = image.depth() == 1 ? EncodeTiffG4(image) : EncodePng(image, 1);
  if (!bytes.ok()) return bytes.status();
  json j = {{"v", kVersion},
            {"xres", xres},
            {"yres", yres},
            {"informat", informat},
            {"image", Binary(*bytes)},
            {"rendered", job.rendered},
            {"text_layer", job.text_layer},
            {"page_pdf", Binary(job.page_pdf)},
            {"seconds_left", job.seconds_left},
            {"read_seconds", job.read_seconds}};
  PutPosition(job, &j);
  return EncodedJob{Cbor(j), std::move(bytes).value()};
}

Result<std::string> JobPageBytes(const std::string& bytes) {
  auto j = Parse(bytes, "job");
  if (!j.ok()) return j.status();
  return Guarded("job", [&]() -> Result<std::string> {
    std::string image = BytesOf(*j, "image");
    if (image.empty()) return Status::Corruption("job carries no page");
    return image;
  });
}

Result<PageJob> DecodeJob(const std::string& bytes, const ImageLimits& limits) {
  auto j = Parse(bytes, "job");
  if (!j.ok()) return j.status();
  return Guarded("job", [&]() -> Result<PageJob> {
    PageJob job;
    GetPosition(*j, &job);
    job.rendered = j->value("rendered", false);
    job.text_layer = j->value("text_layer", std::string());
    job.page_pdf = BytesOf(*j, "page_pdf");
    job.seconds_left = j->value("seconds_left", 60.0);
    job.read_seconds = j->value("read_seconds", 0.0);
    auto image = DecodeImage(BytesOf(*j, "image"), limits);
    if (image.ok()) {  // as the reader decoded it, 0 (not known) included
      pixSetXRes(image->get(), j->at("xres").get<int>());
      pixSetYRes(image->get(), j->at("yres").get<int>());
      pixSetInputFormat(image->get(), j->at("informat").get<int>());
      job.image = std::move(image);
    } else {  // the page's own failure, named as the reader names its failures
      job.image =
          image.status().WithMessage("file " + job.file + " page " + std::to_string(job.page) +
                                     ": " + image.status().message());
    }
    return job;
  });
}

std::string EncodeResult(const ProcessedPage& p) {
  const Extraction& e = p.extraction;
  json j = {{"v", kVersion},
            {"kind", ToString(p.kind)},
            {"cover_id", p.cover_id},
            {"error", p.error},
            {"error_starts_piece", p.error_starts_piece},
            {"duplicate_of", p.duplicate_of},
            {"original", Binary(p.original)},
            {"rotation", p.rotation},
            {"skew", p.skew},
            {"image", Binary(p.image)},
            {"image_format", p.image_format},
            {"pdf", Binary(p.pdf)},
            {"text", p.text},
            {"ocr_deferred", p.ocr_deferred},
            {"rendered", p.rendered},
            {"text_source", p.text_source},
            {"unread", p.unread},
            {"seconds", p.seconds},
            {"person_ids", e.person_ids},
            {"case_numbers", e.case_numbers},
            {"dates", e.dates},
            {"document_type", e.document_type},
            {"titled", e.titled}};
  PutPosition(p, &j);
  return Cbor(j);
}

Result<ProcessedPage> DecodeResult(const std::string& bytes) {
  auto j = Parse(bytes, "result");
  if (!j.ok()) return j.status();
  return Guarded("result", [&]() -> Result<ProcessedPage> {
    ProcessedPage p;
    GetPosition(*j, &p);
    const std::string kind = j->at("kind").get<std::string>();
    if (!ParsePageKind(kind, &p.kind))
      return Status::Corruption("unknown page kind \"" + kind + "\"");
    p.cover_id = j->at("cover_id").get<std::string>();
    p.error = j->at("error").get<std::string>();
    p.error_starts_piece = j->at("error_starts_piece").get<bool>();
    p.duplicate_of = j->at("duplicate_of").get<std::string>();
    p.original = BytesOf(*j, "original");
    p.rotation = j->at("rotation").get<int>();
    p.skew = j->at("skew").get<double>();
    p.image = BytesOf(*j, "image");
    p.image_format = j->at("image_format").get<std::string>();
    p.pdf = BytesOf(*j, "pdf");
    p.text = j->at("text").get<std::string>();
    p.ocr_deferred = j->at("ocr_deferred").get<bool>();
    p.rendered = j->value("rendered", false);
    p.text_source = j->value("text_source", std::string());
    p.unread = j->value("unread", std::string());
    p.seconds = j->value("seconds", 0.0);
    Extraction& e = p.extraction;
    e.person_ids = j->at("person_ids").get<std::vector<std::string>>();
    e.case_numbers = j->at("case_numbers").get<std::vector<std::string>>();
    e.dates = j->at("dates").get<std::vector<std::string>>();
    e.document_type = j->at("document_type").get<std::string>();
    e.titled = j->at("titled").get<bool>();
    return p;
  });
}

std::string EncodeSettings(const RunSettings& s) {
  json j = {{"v", kVersion},
            {"batch", s.batch},
            {"started_at", s.started_at},
            {"max_deliveries", s.max_deliveries},
            {"rules", s.rules_json},
            {"language", s.language},
            {"searchable_pdf", s.searchable_pdf},
            {"blank_ink_threshold", s.analysis.blank_ink_threshold},
            {"detect_orientation", s.analysis.detect_orientation},
            {"deskew", s.analysis.deskew},
            {"max_pixels", s.limits.max_pixels},
            {"max_side", s.limits.max_side}};
  return Cbor(j);
}

Result<RunSettings> DecodeSettings(const std::string& bytes) {
  auto j = Parse(bytes, "run settings");
  if (!j.ok()) return j.status();
  return Guarded("run settings", [&]() -> Result<RunSettings> {
    RunSettings s;
    s.batch = j->at("batch").get<std::string>();
    s.started_at = j->at("started_at").get<std::string>();
    s.max_deliveries = j->at("max_deliveries").get<int>();
    s.rules_json = j->at("rules").get<std::string>();
    s.language = j->at("language").get<std::string>();
    s.searchable_pdf = j->at("searchable_pdf").get<bool>();
    s.analysis.blank_ink_threshold = j->at("blank_ink_threshold").get<double>();
    s.analysis.detect_orientation = j->at("detect_orientation").get<bool>();
    s.analysis.deskew = j->at("deskew").get<bool>();
    s.limits.max_pixels = j->at("max_pixels").get<int64_t>();
    s.limits.max_side = j->at("max_side").get<int>();
    return s;
  });
}

}  // namespace postmottak
