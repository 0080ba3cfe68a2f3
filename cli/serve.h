// `postmottak serve`: the store's one writer, serving the HTTP API (cli/server/).
#ifndef POSTMOTTAK_CLI_SERVE_H_
#define POSTMOTTAK_CLI_SERVE_H_

#include <CLI/CLI.hpp>

#include "cli/context.h"

namespace postmottak {

void AddServeCommand(CLI::App& app, Globals& g, int* rc);

}  // namespace postmottak

#endif  // POSTMOTTAK_CLI_SERVE_H_
