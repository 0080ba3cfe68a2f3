// The postmottak command line. Exit codes (also in README.md):
//   0  success
//   1  failure of the store or of the machine (I/O, corruption)
//   2  bad usage, bad input or bad configuration
//   3  an id that does not exist
//   4  intake finished, but some inputs went to quarantine (only with --fail-on-quarantine),
//      or a quarantine retry was refused again
//   5  reconcile found pages or files unaccounted for, or verify found problems
//   6  the principal may not do this
//   7  intake stopped by SIGTERM or SIGINT before the end; rerun it to go on
#ifndef POSTMOTTAK_CLI_COMMANDS_H_
#define POSTMOTTAK_CLI_COMMANDS_H_

namespace postmottak {
int RunCommandLine(int argc, char** argv);
}

#endif  // POSTMOTTAK_CLI_COMMANDS_H_
