#include "cli/context.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>

namespace postmottak {

Status OpenContext(const Globals& g, Context* ctx) {
  ctx->g = g;
  auto rules = Rules::Load(g.rules_path);
  if (!rules.ok()) return rules.status();
  ctx->rules = std::move(rules).value();
  auto store = Store::Open(g.db);
  if (!store.ok()) return store.status();
  ctx->store = std::move(store).value();
  return Status::OK();
}

int ExitCodeOf(const Status& s) {
  switch (s.code()) {
    case Status::Code::kOk:
      return 0;
    case Status::Code::kNotFound:
      return 3;
    case Status::Code::kInvalidArgument:
    case Status::Code::kAlreadyExists:
    case Status::Code::kFailedPrecondition:
    case Status::Code::kUnsupported:
      return 2;
    default:
      return 1;
  }
}

int Fail(const Status& s) {
  std::cerr << "postmottak: " << s.message() << "\n";
  return ExitCodeOf(s);
}

std::string Padded(const std::string& s, size_t width) {
  // Width in characters, counting UTF-8 continuation bytes out.
  size_t chars = 0;
  for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
  return s + std::string(width > chars ? width - chars : 1, ' ');
}

Progress::Progress(bool enabled) : enabled_(enabled && isatty(STDERR_FILENO)) {}

void Progress::Show(int done, int total, const char* unit) {
  if (!enabled_) return;
  const int width = 30;
  const int filled = total > 0 ? std::min(width, done * width / total) : 0;
  std::fprintf(stderr, "\r[%s%s] %d/%d %s", std::string(filled, '#').c_str(),
               std::string(width - filled, '.').c_str(), done, total, unit);
  std::fflush(stderr);
}

void Progress::Finish() {
  if (enabled_) std::fprintf(stderr, "\r%70s\r", "");
  enabled_ = false;
}

}  // namespace postmottak
