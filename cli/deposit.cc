#include "cli/deposit.h"

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

namespace postmottak {

namespace {

int ExportNoark5Command(Context& ctx, const DepositOptions& options) {
  auto r = ctx.s().DepositNoark5(options);
  if (!r.ok()) return Fail(r.status());
  if (ctx.g.json) {
    std::cout << nlohmann::json{{"out", options.out_dir},
                                {"folders", r->folders},
                                {"registrations", r->registrations},
                                {"documents", r->documents},
                                {"files", r->files},
                                {"bytes", r->bytes},
                                {"changes", r->changes},
                                {"past_retention", r->past_retention}}
                     .dump(2)
              << "\n";
    return 0;
  }
  std::cout << "Noark 5 deposit in " << options.out_dir << "\n"
            << "  case files (saksmappe):        " << r->folders << "\n"
            << "  journal entries (journalpost): " << r->registrations << "\n"
            << "  documents:                     " << r->documents << " (" << r->files << " files, "
            << r->bytes << " bytes under DOKUMENT/)\n"
            << "  changes logged (endringslogg): " << r->changes << "\n"
            << "  left out, past retention:      " << r->past_retention << " cases\n"
            << "Each XML file validates against its schema, copied unmodified from "
            << options.schemas_dir
            << ";\narkivuttrekk.xml (ADDML) gives their checksums and counts.\n";
  return 0;
}

}  // namespace

void AddDepositCommands(CLI::App& app, Context& ctx, const Runner& run) {
  auto o = std::make_shared<DepositOptions>();
  auto* exp = app.add_subcommand("export", "deposits for the archive")->require_subcommand(1);
  auto* noark5 = exp->add_subcommand(
      "noark5", "the Noark 5 deposit (avleveringspakke) of what was journaled: `deposit` role");
  noark5->add_option("--out", o->out_dir, "a new, empty folder for the package")->required();
  noark5->add_option("--schemas", o->schemas_dir, "the official Noark 5 schemas, copied unmodified")
      ->required();
  noark5->add_option("--from", o->from, "first day (YYYY-MM-DD) journaled");
  noark5->add_option("--to", o->to, "last day (YYYY-MM-DD) journaled");
  noark5->add_option("--creator-id", o->creator_id, "the archive creator's id (arkivskaperID)")
      ->capture_default_str();
  noark5->add_option("--creator-name", o->creator_name, "the archive creator (arkivskaperNavn)")
      ->capture_default_str();
  noark5->callback(run([&ctx, o] { return ExportNoark5Command(ctx, *o); }));
}

}  // namespace postmottak
