// `token issue` and `token service`: bearer tokens for the server's API, for
// development and tests (a signed JWT from a local key) and for machines (a service
// token whose SHA-256 goes into the server's configuration). Neither needs a store.
#ifndef POSTMOTTAK_CLI_TOKENS_H_
#define POSTMOTTAK_CLI_TOKENS_H_

#include <CLI/CLI.hpp>

#include "cli/context.h"

namespace postmottak {

void AddTokenCommands(CLI::App& app, const Globals& g, int* rc);

}  // namespace postmottak

#endif  // POSTMOTTAK_CLI_TOKENS_H_
