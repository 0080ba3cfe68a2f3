// The commands of distributed intake: the options `intake --nats` takes, `worker` (a
// remote worker) and `cluster status` (queue depth and worker health), and the
// handling of SIGTERM and SIGINT that lets intake and workers stop cleanly.
#ifndef POSTMOTTAK_CLI_CLUSTER_H_
#define POSTMOTTAK_CLI_CLUSTER_H_

#include <CLI/CLI.hpp>
#include <atomic>

#include "cli/context.h"
#include "pipeline/distributed/distributed.h"

namespace postmottak {

// `--nats URL` and the options of a distributed run, on the intake command.
void AddRemoteWorkerOptions(CLI::App* intake, RemoteWorkerOptions* options);

void AddClusterCommands(CLI::App& app, const Globals& g, int* rc);

// The first SIGTERM or SIGINT sets the returned flag (stop taking work, finish what is
// in hand); a second one ends the process at once.
const std::atomic<bool>* StopOnSignals();

}  // namespace postmottak

#endif  // POSTMOTTAK_CLI_CLUSTER_H_
