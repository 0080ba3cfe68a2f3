// What every command of the command line shares: the global options, the office and a
// session opened through the public API (postmottak/office.h) for the principal and
// purpose given, error reporting with exit codes, column padding and a progress bar.
//
// Commands act through the session, so the command line decides and audits exactly as
// an embedding case system does; it reads the office's rules and policy only to print
// titles and retention periods. (`worker` and `cluster status` open no office: they
// never touch a store.)
#ifndef POSTMOTTAK_CLI_CONTEXT_H_
#define POSTMOTTAK_CLI_CONTEXT_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "pipeline/config/rules.h"
#include "pipeline/services/access.h"
#include "pipeline/services/case_service.h"
#include "postmottak/office.h"
#include "storage/store.h"

namespace postmottak {

// A shipped data file: $POSTMOTTAK_DATA_DIR/NAME, else NAME in the installed data
// folder beside the program (<prefix>/share/postmottak), else `built_in` (the source
// tree's sample, for a program run from the build tree).
std::string DefaultDataFile(const std::string& name, const std::string& built_in);

struct Globals {
  std::string db;
  std::string rules_path = DefaultDataFile("rules.json", POSTMOTTAK_DEFAULT_RULES);
  std::string policy_path = DefaultDataFile("policy.json", POSTMOTTAK_DEFAULT_POLICY);
  std::string principal;  // --principal, else $POSTMOTTAK_PRINCIPAL
  std::string purpose;    // --purpose, else $POSTMOTTAK_PURPOSE, else the command's name
  bool unmask = false;
  bool json = false;
  // Commands with --workers or limits set these before the office opens.
  OfficeOptions office;
};

struct Context {
  Globals g;
  std::unique_ptr<Office> office;
  std::optional<Session> session;  // for g.principal and g.purpose
  // The office's rules (titles of document types, the intake unit) for printing.
  const Rules* rules = nullptr;
  Session& s() { return *session; }
};

// Opens the office and begins the session, as ctx->g says. `command` is the command's name, the
// purpose when none was given. With --unmask the session asks for person ids in full
// (refused and audited without the `unmask` permission).
Status OpenContext(const std::string& command, Context* ctx);

// Wraps a command body so that it runs with the context opened and sets the exit code.
using Runner = std::function<std::function<void()>(std::function<int()>)>;

// The exit code for a failure (see commands.h).
int ExitCodeOf(const Status& s);
// Prints the failure to stderr and returns its exit code.
int Fail(const Status& s);
// Writes `bytes` to the file `path` (a PDF, a kept scan); IOError naming it when it fails.
Status WriteBytes(const std::string& path, const std::string& bytes);

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
