// The archive's command: the Noark 5 deposit (`export noark5`).
#ifndef POSTMOTTAK_CLI_DEPOSIT_H_
#define POSTMOTTAK_CLI_DEPOSIT_H_

#include <CLI/CLI.hpp>

#include "cli/context.h"

namespace postmottak {

void AddDepositCommands(CLI::App& app, Context& ctx, const Runner& run);

}  // namespace postmottak

#endif  // POSTMOTTAK_CLI_DEPOSIT_H_
