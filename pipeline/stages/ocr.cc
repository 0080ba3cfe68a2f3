#include "pipeline/stages/ocr.h"

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>
#include <tesseract/ocrclass.h>
#include <tesseract/renderer.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "codecs/sandbox.h"

namespace postmottak {

namespace {

// A recognition stopped by its own monitor answers at once; one stuck where the monitor
// is never asked (layout analysis) is killed this long after its bound.
constexpr double kKillGrace = 0.25;
// Text and a one-page searchable PDF of the largest page the limits let through.
constexpr int64_t kMaxAnswer = int64_t{512} << 20;

// The forked recognition's answer, for the parent:
//   'P' <int32 confidence> <uint64 text length> <text> <pdf>
//   'T'                                    (stopped by the monitor at the bound)
//   'E' <uint8 status code> <message>
template <typename T>
void Put(std::string* out, T v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof v);
}

std::string EncodeAnswer(const Result<OcrPage>& page) {
  std::string out;
  if (!page.ok()) {
    out = "E";
    Put(&out, static_cast<uint8_t>(page.status().code()));
    return out + page.status().message();
  }
  if (page->timed_out) return "T";
  out = "P";
  Put(&out, static_cast<int32_t>(page->mean_confidence));
  Put(&out, static_cast<uint64_t>(page->text.size()));
  return out + page->text + page->pdf;
}

Result<OcrPage> DecodeAnswer(const std::string& in) {
  const Status damaged = Status::Corruption("OCR's answer from its process is damaged");
  if (in.empty()) return damaged;
  OcrPage page;
  if (in[0] == 'T') {
    page.timed_out = true;
    return page;
  }
  if (in[0] == 'E') {
    if (in.size() < 2) return damaged;
    const std::string message = in.substr(2);
    return static_cast<Status::Code>(in[1]) == Status::Code::kIOError ? Status::IOError(message)
                                                                      : Status::Corruption(message);
  }
  int32_t confidence = 0;
  uint64_t text_size = 0;
  const size_t head = 1 + sizeof confidence + sizeof text_size;
  if (in[0] != 'P' || in.size() < head) return damaged;
  std::memcpy(&confidence, in.data() + 1, sizeof confidence);
  std::memcpy(&text_size, in.data() + 1 + sizeof confidence, sizeof text_size);
  if (text_size > in.size() - head) return damaged;
  page.mean_confidence = confidence;
  page.text = in.substr(head, text_size);
  page.pdf = in.substr(head + text_size);
  return page;
}

}  // namespace

void RestartWithSingleThreadedOcr(char** argv) {
  if (std::getenv("OMP_THREAD_LIMIT") != nullptr) return;
  setenv("OMP_THREAD_LIMIT", "1", 1);
  execv("/proc/self/exe", argv);
}

bool OcrThreadingIsSingle() {
  const char* v = std::getenv("OMP_THREAD_LIMIT");
  return v && std::string(v) == "1";
}

Result<std::unique_ptr<OcrEngine>> OcrEngine::Create(const OcrOptions& options) {
  std::unique_ptr<OcrEngine> engine(new OcrEngine());
  engine->options_ = options;
  engine->api_ = std::make_unique<tesseract::TessBaseAPI>();
  // No folder given: Tesseract's own default ($TESSDATA_PREFIX, else its installed data).
  const char* datapath = options.tessdata.empty() ? nullptr : options.tessdata.c_str();
  if (engine->api_->Init(datapath, options.language.c_str(), tesseract::OEM_LSTM_ONLY) != 0)
    return Status::NotFound("Tesseract cannot load language '" + options.language + "' from " +
                            (datapath ? options.tessdata : "its default data folder"));
  engine->api_->SetPageSegMode(tesseract::PSM_AUTO);
  engine->api_->SetVariable("debug_file", "/dev/null");
  if (engine->scratch_.path().empty())
    return Status::IOError("cannot create a scratch directory for OCR");
  return engine;
}

OcrEngine::~OcrEngine() {
  if (api_) api_->End();
}

Result<OcrPage> OcrEngine::Recognize(const Image& upright, double seconds) {
  if (upright.empty()) return Status::InvalidArgument("no image to recognise");
  if (seconds <= 0) return RecognizeHere(upright, 0);
  SandboxLimits limits;
  limits.seconds = seconds + kKillGrace;
  limits.max_output = kMaxAnswer;
  auto answer = RunForked(
      "OCR", [&] { return EncodeAnswer(RecognizeHere(upright, seconds)); }, limits);
  if (!answer.ok() && answer.status().code() == Status::Code::kFailedPrecondition) {
    // No copy could start (a machine that does not overcommit memory, no descriptors
    // left): read the page here, bounded between words only, rather than lose it.
    return RecognizeHere(upright, seconds);
  }
  if (!answer.ok()) {
    if (!answer.status().IsTimedOut()) return answer.status();
    OcrPage stopped;
    stopped.timed_out = true;
    return stopped;
  }
  return DecodeAnswer(*answer);
}

Result<OcrPage> OcrEngine::RecognizeHere(const Image& upright, double seconds) {
  OcrPage out;
  api_->SetImage(upright.get());
  api_->SetSourceResolution(upright.dpi() > 0 ? upright.dpi() : 300);
  tesseract::ETEXT_DESC monitor;
  if (seconds > 0) monitor.set_deadline_msecs(std::max(1, static_cast<int>(seconds * 1000)));
  const int rc = api_->Recognize(seconds > 0 ? &monitor : nullptr);
  if (seconds > 0 && monitor.deadline_exceeded()) {
    api_->Clear();
    out.timed_out = true;
    return out;
  }
  if (rc != 0) return Status::Corruption("OCR failed on the page");
  std::unique_ptr<char[]> text(api_->GetUTF8Text());
  out.text = text ? text.get() : "";
  out.mean_confidence = api_->MeanTextConf();
  if (options_.searchable_pdf) {
    // Tesseract's PDF renderer writes to a file; it reuses this recognition result.
    const std::string base = scratch_.path() + "/page";
    {
      tesseract::TessPDFRenderer renderer(base.c_str(), api_->GetDatapath(), false);
      // Tesseract takes ownership of the input image: give it its own reference.
      api_->SetInputImage(pixClone(upright.get()));
      api_->SetInputName(nullptr);
      if (!renderer.BeginDocument("") || !renderer.AddImage(api_.get()) || !renderer.EndDocument())
        return Status::IOError("searchable PDF cannot be rendered");
    }
    std::ifstream in(base + ".pdf", std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    out.pdf = ss.str();
    if (out.pdf.empty()) return Status::IOError("searchable PDF is empty");
  }
  api_->Clear();
  return out;
}

}  // namespace postmottak
