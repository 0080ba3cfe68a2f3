// The commands of the access model: grants, the audit trail and retention.
#ifndef POSTMOTTAK_CLI_PRIVACY_H_
#define POSTMOTTAK_CLI_PRIVACY_H_

#include <CLI/CLI.hpp>

#include "cli/context.h"

namespace postmottak {

void AddPrivacyCommands(CLI::App& app, Context& ctx, const Runner& run);

}  // namespace postmottak

#endif  // POSTMOTTAK_CLI_PRIVACY_H_
