// The commands that account for what came in: batches, reconcile, quarantine and
// verify.
#ifndef POSTMOTTAK_CLI_ACCOUNTING_H_
#define POSTMOTTAK_CLI_ACCOUNTING_H_

#include <CLI/CLI.hpp>
#include <functional>

#include "cli/context.h"
#include "postmottak/options.h"

namespace postmottak {

// Adds --max-file-mb, --max-pages and --max-pixels to a command that reads scans.
void AddLimitOptions(CLI::App* command, OfficeOptions* office);
// --vendor-key and --vendor-passphrase-file: for commands that take deliveries in.
void AddVendorKeyOptions(CLI::App* command, OfficeOptions* office);

void AddAccountingCommands(CLI::App& app, Context& ctx, const Runner& run);

}  // namespace postmottak

#endif  // POSTMOTTAK_CLI_ACCOUNTING_H_
