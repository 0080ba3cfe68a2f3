#include "cli/commands.h"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <functional>
#include <string>

#include "cli/accounting.h"
#include "cli/cases.h"
#include "cli/cluster.h"
#include "cli/context.h"
#include "cli/deliveries.h"
#include "cli/deposit.h"
#include "cli/documents.h"
#include "cli/intake_commands.h"
#include "cli/privacy.h"
#include "cli/serve.h"
#include "cli/statistics.h"
#include "cli/tokens.h"

namespace postmottak {

// The global options, and each subject's commands from its own file.
int RunCommandLine(int argc, char** argv) {
  CLI::App app{
      "Postmottak: electronic mail intake. Scanned pages in, journaled documents on cases out."};
  app.require_subcommand(1);
  // Global options after the command too ("coversheet --case X --json"): a subcommand
  // hands what it does not know to its parent. Subcommands made below inherit this.
  app.fallthrough();
  Context ctx;
  Globals& g = ctx.g;  // options bind here; commands read them from the context
  if (const char* p = std::getenv("POSTMOTTAK_PRINCIPAL")) g.principal = p;
  if (const char* p = std::getenv("POSTMOTTAK_PURPOSE")) g.purpose = p;
  app.add_option(
      "--db", g.db,
      "store directory (created when missing; every command but worker, cluster and delivery)");
  app.add_option("--rules", g.rules_path, "rules file")->capture_default_str();
  app.add_option("--policy", g.policy_path, "access policy file")->capture_default_str();
  app.add_option("--principal", g.principal,
                 "who acts: a principal of the policy (default: $POSTMOTTAK_PRINCIPAL)");
  app.add_option("--purpose", g.purpose,
                 "why, for the audit trail (default: $POSTMOTTAK_PURPOSE, else the command)");
  app.add_flag("--unmask", g.unmask,
               "show person ids in full (needs the unmask permission; audited)");
  app.add_flag("--json", g.json, "machine-readable output");

  int rc = 0;
  // The command's name ("case show"), the audit purpose when none is given.
  auto command_name = [&app] {
    std::string name;
    for (const CLI::App* at = &app; !at->get_subcommands().empty();) {
      at = at->get_subcommands().front();
      name += (name.empty() ? "" : " ") + at->get_name();
    }
    return name;
  };
  auto run = [&](auto fn) {
    return [&, fn] {
      Status st = OpenContext(command_name(), &ctx);
      rc = st.ok() ? fn() : Fail(st);
    };
  };

  const Runner runner = [&run](std::function<int()> fn) -> std::function<void()> {
    return run(fn);
  };
  AddCaseCommands(app, ctx, runner);
  AddIntakeCommands(app, ctx, runner);
  AddDocumentCommands(app, ctx, runner);
  AddStatisticsCommand(app, ctx, runner);
  AddAccountingCommands(app, ctx, runner);
  AddPrivacyCommands(app, ctx, runner);
  AddDepositCommands(app, ctx, runner);
  AddClusterCommands(app, g, &rc);
  AddDeliveryCommands(app, g, &rc);
  AddTokenCommands(app, g, &rc);
  AddServeCommand(app, g, &rc);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  return rc;
}

}  // namespace postmottak
