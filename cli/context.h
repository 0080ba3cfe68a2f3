// What every command of the command line shares: the global options, the opened store
// and rules, error reporting with exit codes, column padding and a progress bar.
#ifndef POSTMOTTAK_CLI_CONTEXT_H_
#define POSTMOTTAK_CLI_CONTEXT_H_

#include <memory>
#include <string>

#include "pipeline/rules.h"
#include "storage/store.h"

namespace postmottak {

struct Globals {
  std::string db;
  std::string rules_path = POSTMOTTAK_DEFAULT_RULES;
  std::string actor;
  bool json = false;
};

struct Context {
  Globals g;
  std::unique_ptr<Store> store;
  Rules rules;
};

Status OpenContext(const Globals& g, Context* ctx);

// The exit code for a failure (see commands.h).
int ExitCodeOf(const Status& s);
// Prints the failure to stderr and returns its exit code.
int Fail(const Status& s);

// `s` padded with spaces to `width` characters (UTF-8 aware), at least one space.
std::string Padded(const std::string& s, size_t width);

// A one-line progress bar on stderr, shown only on a terminal.
class Progress {
 public:
  explicit Progress(bool enabled);
  void Show(int done, int total, const char* unit);
  // Clears the bar before the report is printed.
  void Finish();
  ~Progress() { Finish(); }

 private:
  bool enabled_;
};

}  // namespace postmottak

#endif  // POSTMOTTAK_CLI_CONTEXT_H_
