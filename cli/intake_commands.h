// The commands that read scans: intake (embedded or distributed) and reindex.
#ifndef POSTMOTTAK_CLI_INTAKE_COMMANDS_H_
#define POSTMOTTAK_CLI_INTAKE_COMMANDS_H_

#include <CLI/CLI.hpp>

#include "cli/context.h"

namespace postmottak {

void AddIntakeCommands(CLI::App& app, Context& ctx, const Runner& run);

}  // namespace postmottak

#endif  // POSTMOTTAK_CLI_INTAKE_COMMANDS_H_
