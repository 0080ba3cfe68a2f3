// `delivery check FILE`: what intake will make of a scanning vendor's delivery, before
// it is taken in. Decrypts it (with --key), unpacks it with the intake's bounds, reads
// its pairs, and prints each mail piece with its metadata and each refusal with its
// reason. Touches no store; exits 1 when anything would be refused.
#ifndef POSTMOTTAK_CLI_DELIVERIES_H_
#define POSTMOTTAK_CLI_DELIVERIES_H_

#include <CLI/CLI.hpp>

#include "cli/context.h"

namespace postmottak {

void AddDeliveryCommands(CLI::App& app, const Globals& g, int* rc);

}  // namespace postmottak

#endif  // POSTMOTTAK_CLI_DELIVERIES_H_
