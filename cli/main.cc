#include "cli/commands.h"
#include "pipeline/stages/ocr.h"

int main(int argc, char** argv) {
  // One Tesseract per worker: OpenMP threads inside it would only thrash.
  postmottak::RestartWithSingleThreadedOcr(argv);
  return postmottak::RunCommandLine(argc, argv);
}
