// The commands of cases: register, close and show a case, and issue a cover sheet.
#ifndef POSTMOTTAK_CLI_CASES_H_
#define POSTMOTTAK_CLI_CASES_H_

#include <CLI/CLI.hpp>

#include "cli/context.h"

namespace postmottak {

void AddCaseCommands(CLI::App& app, Context& ctx, const Runner& run);

}  // namespace postmottak

#endif  // POSTMOTTAK_CLI_CASES_H_
