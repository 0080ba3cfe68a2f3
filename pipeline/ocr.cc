#include "pipeline/ocr.h"

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>
#include <tesseract/ocrclass.h>
#include <tesseract/renderer.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace postmottak {

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
  if (engine->api_->Init(options.tessdata.c_str(), options.language.c_str(),
                         tesseract::OEM_LSTM_ONLY) != 0)
    return Status::NotFound("Tesseract cannot load language '" + options.language + "' from " +
                            options.tessdata);
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
