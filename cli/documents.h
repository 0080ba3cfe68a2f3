// The commands that read and journal: documents, one document, search, link by hand,
// and tasks.
#ifndef POSTMOTTAK_CLI_DOCUMENTS_H_
#define POSTMOTTAK_CLI_DOCUMENTS_H_

#include <CLI/CLI.hpp>

#include "cli/context.h"

namespace postmottak {

void AddDocumentCommands(CLI::App& app, Context& ctx, const Runner& run);

}  // namespace postmottak

#endif  // POSTMOTTAK_CLI_DOCUMENTS_H_
