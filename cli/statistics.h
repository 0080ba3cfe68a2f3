// `stats`: the units' figures over a period, as a table, JSON or CSV.
#ifndef POSTMOTTAK_CLI_STATISTICS_H_
#define POSTMOTTAK_CLI_STATISTICS_H_

#include <CLI/CLI.hpp>

#include "cli/context.h"

namespace postmottak {

void AddStatisticsCommand(CLI::App& app, Context& ctx, const Runner& run);

}  // namespace postmottak

#endif  // POSTMOTTAK_CLI_STATISTICS_H_
