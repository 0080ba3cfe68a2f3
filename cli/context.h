// What every command of the command line shares: the global options, the opened store
// and rules, error reporting with exit codes, column padding and a progress bar.
#ifndef POSTMOTTAK_CLI_CONTEXT_H_
#define POSTMOTTAK_CLI_CONTEXT_H_

#include <functional>
#include <memory>
#include <string>

#include "pipeline/config/rules.h"
#include "pipeline/services/access.h"
#include "pipeline/services/case_service.h"
#include "storage/store.h"

namespace postmottak {

struct Globals {
  std::string db;
  std::string rules_path = POSTMOTTAK_DEFAULT_RULES;
  std::string policy_path = POSTMOTTAK_DEFAULT_POLICY;
  std::string principal;  // --principal, else $POSTMOTTAK_PRINCIPAL
  std::string purpose;    // --purpose, else $POSTMOTTAK_PURPOSE, else the command's name
  bool unmask = false;
  bool json = false;
};

struct Context {
  Globals g;
  std::unique_ptr<Store> store;
  Rules rules;
  Policy policy;
  Principal principal;  // resolved from the policy: no command runs without one
};

// Loads rules and policy, resolves the principal and opens the store. `command` is the
// command's name, the purpose when none was given.
Status OpenContext(const Globals& g, const std::string& command, Context* ctx);

// The case service acting for the context's principal; with --unmask it asks for person
// ids in full (refused and audited without the `unmask` permission).
Result<std::unique_ptr<CaseService>> OpenCaseService(Context& ctx);

// Wraps a command body so that it runs with the context opened and sets the exit code.
using Runner = std::function<std::function<void()>(std::function<int()>)>;

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
