#include "tests/test_util.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "codecs/text_raster.h"
#include "samples/generator.h"

namespace postmottak::test {

TempDir::TempDir() {
  char tmpl[] = "/tmp/postmottak-test-XXXXXX";
  const char* made = mkdtemp(tmpl);
  if (!made) std::abort();
  path_ = made;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

const Rules& SampleRules() {
  static const Rules rules = [] {
    auto r = Rules::Load(POSTMOTTAK_DEFAULT_RULES);
    if (!r.ok()) std::abort();
    return std::move(r).value();
  }();
  return rules;
}

std::unique_ptr<Store> OpenStore(const std::string& dir) {
  StoreOptions options;
  options.sync_commits = false;  // tests do not need power-loss durability
  auto store = Store::Open(dir, options);
  if (!store.ok()) std::abort();
  return std::move(store).value();
}

std::string PersonId(int n) {
  uint64_t state = 1000 + static_cast<uint64_t>(n) * 7919;
  return SyntheticPersonId(&state);
}

Image TextPage(const std::string& title, const std::string& extra_line, int dpi) {
  auto canvas = Canvas::Create(dpi);
  if (!canvas.ok()) std::abort();
  double y = 30;
  if (!title.empty()) {
    canvas->Text(20, y, 20, title, true);
    y += 16;
  }
  if (!extra_line.empty()) {
    canvas->Text(20, y, 12, extra_line);
    y += 10;
  }
  const char* lines[] = {"Det vises til tidligere korrespondanse i saken.",
                         "Opplysningene er gitt etter beste skjønn og er korrekte.",
                         "Vi ber om at saken behandles så snart som mulig.",
                         "Arbeidsevnen vurderes som nedsatt i en periode fremover."};
  for (int i = 0; i < 16; ++i, y += 9) canvas->Text(20, y, 12, lines[i % 4]);
  return canvas->Snapshot();
}

NewCase MakeNewCase(const std::string& id, const std::string& person, const std::string& area,
                    const std::string& unit) {
  NewCase nc;
  nc.id = id;
  nc.person_id = person;
  nc.area = area;
  nc.unit = unit;
  return nc;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

int Run(const std::string& command, std::string* out) {
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return -1;
  std::string text;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) text.append(buf, n);
  int status = pclose(pipe);
  if (out) *out = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace postmottak::test
