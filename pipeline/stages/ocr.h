// OcrEngine: one Tesseract instance, owned by one worker thread.
//
// Tesseract instances are not shared between threads; the pipeline gives each worker
// its own. Tesseract's OpenMP threading must be off (OMP_THREAD_LIMIT=1 in the
// environment before the process starts): with a worker per core it only adds
// contention, and an OpenMP thread pool does not survive the fork that bounds a page's
// time. The command line sees to it; library users must set it themselves.
#ifndef POSTMOTTAK_PIPELINE_STAGES_OCR_H_
#define POSTMOTTAK_PIPELINE_STAGES_OCR_H_

#include <memory>
#include <string>

#include "codecs/image.h"
#include "codecs/scratch_dir.h"
#include "storage/status.h"

namespace tesseract {
class TessBaseAPI;
}

namespace postmottak {

struct OcrOptions {
  std::string tessdata;  // "": Tesseract's default ($TESSDATA_PREFIX, else its installed data)
  std::string language = "nor";
  bool searchable_pdf = true;  // also render a one-page searchable PDF
};

struct OcrPage {
  std::string text;  // UTF-8
  int mean_confidence = 0;
  std::string pdf;  // one-page PDF: the image with an invisible text layer
  // Recognition ran past its time bound and was cancelled: no text, no PDF.
  bool timed_out = false;
};

class OcrEngine {
 public:
  static Result<std::unique_ptr<OcrEngine>> Create(const OcrOptions& options);
  ~OcrEngine();
  OcrEngine(const OcrEngine&) = delete;
  OcrEngine& operator=(const OcrEngine&) = delete;

  // Recognises an upright page (its resolution must be set). With `seconds` > 0 the
  // page comes back `timed_out` when recognition runs longer, so a pathological page
  // costs its worker that long and no longer: recognition then runs in a forked copy of
  // the process (codecs/sandbox.h RunForked), stopped by Tesseract's monitor between
  // words or killed where the monitor is never asked (page layout analysis of a speckled
  // page took 17 s at 300 dpi). The copy starts from this engine's loaded models, and
  // this engine is left as it was. Without a bound, recognition runs in this thread.
  Result<OcrPage> Recognize(const Image& upright, double seconds = 0);

 private:
  OcrEngine() = default;
  Result<OcrPage> RecognizeHere(const Image& upright, double seconds);
  OcrOptions options_;
  std::unique_ptr<tesseract::TessBaseAPI> api_;
  ScratchDir scratch_{"ocr"};  // where Tesseract's PDF renderer writes its one file
};

// True when OpenMP threading is limited to one thread in this process's environment.
bool OcrThreadingIsSingle();

// For a program's main(): unless OMP_THREAD_LIMIT is set, sets it to 1 and starts the
// program again (Tesseract's OpenMP runtime reads it when the library is loaded, before
// main(), so setting it later is too late). Returns only when no restart was needed or
// it failed; the program then carries on, slower but correct.
void RestartWithSingleThreadedOcr(char** argv);

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_STAGES_OCR_H_
