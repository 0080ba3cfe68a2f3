#include "cli/intake_commands.h"

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/accounting.h"
#include "cli/cluster.h"

namespace postmottak {

namespace {

using nlohmann::json;

int IntakeCommand(Context& ctx, const std::vector<std::string>& paths, const std::string& batch,
                  bool fail_on_quarantine, bool defer_ocr) {
  IntakeControl control;
  control.batch = batch;
  control.stop = StopOnSignals();
  control.defer_covered_ocr = defer_ocr;
  Progress progress(!ctx.g.json);
  control.on_progress = [&progress](int done, int known) {
    progress.Show(done, std::max(done, known), "pages");
  };
  auto report = ctx.s().Intake(paths, control);
  progress.Finish();
  if (!report.ok()) return Fail(report.status());
  const IntakeSummary& r = *report;
  const bool distributed = !ctx.g.office.remote.nats_url.empty();
  if (ctx.g.json) {
    json q = json::array();
    for (const auto& e : r.quarantined)
      q.push_back({{"file", e.file}, {"page", e.page}, {"reason", e.reason}});
    json slow = json::array();
    for (const auto& e : r.slowest)
      slow.push_back({{"file", e.file},
                      {"page", e.page},
                      {"seconds", e.seconds},
                      {"rendered", e.rendered},
                      {"unread", e.unread}});
    std::cout << json{{"batch", r.batch},
                      {"files", r.files},
                      {"pages", r.pages},
                      {"blank_pages", r.blank_pages},
                      {"cover_sheets", r.cover_sheets},
                      {"separator_sheets", r.separator_sheets},
                      {"mail_pieces", r.mail_pieces},
                      {"documents", r.documents},
                      {"linked_by_cover_sheet", r.linked_by_cover},
                      {"linked_by_text", r.linked_by_text},
                      {"linked_by_vendor_metadata", r.linked_by_metadata},
                      {"manual_journaling", r.manual},
                      {"duplicates", r.duplicates},
                      {"duplicate_pages", r.duplicate_pages},
                      {"duplicate_files", r.duplicate_files},
                      {"run", r.runs},
                      {"resumed_pages", r.resumed_pages},
                      {"tasks_raised", r.tasks_raised},
                      {"tasks_closed", r.tasks_closed},
                      {"notices", r.notices},
                      {"quarantined", q},
                      {"rendered_pages", r.rendered_pages},
                      {"text_layer_pages", r.text_layer_pages},
                      {"unread_pages", r.unread_pages},
                      {"slowest_pages", slow},
                      {"seconds", r.seconds},
                      {"pages_per_second", r.pages_per_second},
                      {"workers", r.workers},
                      {"distributed", distributed},
                      {"interrupted", r.interrupted}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << "Intake of batch " << r.batch << "\n";
    if (r.runs > 1)
      std::cout << "  Resumed (run " << r.runs << "):          " << r.resumed_pages
                << " pages were taken in before\n";
    std::cout << "  Files:                     " << r.files << "\n"
              << "  Pages:                     " << r.pages << "  (blank " << r.blank_pages
              << ", cover sheets " << r.cover_sheets << ", separator sheets " << r.separator_sheets
              << ")\n"
              << "  Mail pieces:               " << r.mail_pieces << "\n"
              << "  Documents journaled:       " << r.documents << "\n"
              << "    linked by cover sheet:   " << r.linked_by_cover << "\n"
              << "    linked by text:          " << r.linked_by_text << "\n";
    if (r.linked_by_metadata > 0)
      std::cout << "    by vendor's metadata:    " << r.linked_by_metadata << "\n";
    std::cout << "    manual journaling:       " << r.manual << "\n"
              << "  Duplicates (not stored):   " << r.duplicate_pages << " pages, " << r.duplicates
              << " documents, " << r.duplicate_files << " whole files\n"
              << "  Tasks raised / closed:     " << r.tasks_raised << " / " << r.tasks_closed
              << "\n"
              << "  Notices to other cases:    " << r.notices << "  (a change notice arrived)\n"
              << "  Quarantined inputs:        " << r.quarantined.size() << "\n";
    for (const auto& e : r.quarantined) std::cout << "    - " << e.reason << "\n";
    if (r.rendered_pages > 0 || r.unread_pages > 0)
      std::cout << "  PDF pages rendered:        " << r.rendered_pages << "  (text from their own "
                << "text layer: " << r.text_layer_pages << ")\n";
    if (r.unread_pages > 0)
      std::cout << "  Not read in time:          " << r.unread_pages
                << " pages, journaled without text; a person is asked to read them\n";
    if (!r.slowest.empty()) {
      std::cout << "  Slowest pages (bound " << std::fixed << std::setprecision(0)
                << ctx.g.office.page_seconds << " s):\n";
      for (const auto& e : r.slowest)
        std::cout << "    " << std::setprecision(1) << std::setw(6) << e.seconds << " s  " << e.file
                  << " page " << e.page << (e.rendered ? "  (rendered)" : "")
                  << (e.unread.empty() ? "" : "  not read: " + e.unread) << "\n";
    }
    std::cout << std::fixed << std::setprecision(2)
              << "  Throughput:                " << r.pages_per_second << " pages/s (" << r.workers
              << (!distributed ? " workers, " : " remote workers, ") << std::setprecision(1)
              << r.seconds << " s)\n";
    if (r.interrupted)
      std::cout << "  Interrupted: the pages read so far are journaled; run the same intake "
                   "again to go on\n";
  }
  if (r.interrupted) return 7;
  return fail_on_quarantine && !r.quarantined.empty() ? 4 : 0;
}

int ReindexCommand(Context& ctx, bool only_pending) {
  Progress progress(!ctx.g.json);
  auto r = ctx.s().Reindex(
      only_pending, [&progress](int done, int total) { progress.Show(done, total, "documents"); });
  progress.Finish();
  if (!r.ok()) return Fail(r.status());
  if (ctx.g.json) {
    std::cout << json{{"documents", r->documents},
                      {"processed", r->processed},
                      {"changed", r->changed},
                      {"resumed", r->resumed},
                      {"cases_evaluated", r->cases_evaluated}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << "Reindexed " << r->processed << " of " << r->documents << " documents"
              << (r->resumed ? " (resumed)" : "") << "; " << r->changed
              << " changed; indexes rebuilt; " << r->cases_evaluated << " cases re-evaluated\n";
  }
  return 0;
}

}  // namespace

void AddIntakeCommands(CLI::App& app, Context& ctx, const Runner& run) {
  struct Options {
    std::vector<std::string> paths;
    std::string batch;
    bool fail_on_quarantine = false, defer_ocr = false, pending = false;
  };
  auto o = std::make_shared<Options>();
  auto* intake = app.add_subcommand("intake", "intake scanned files or folders");
  intake->add_option("paths", o->paths, "files or folders")->required();
  intake->add_option("--workers", ctx.g.office.workers, "worker threads (default: one per core)");
  intake->add_option("--batch", o->batch,
                     "batch name (default: the manifest's, else derived from the files' "
                     "checksums, so a rerun resumes)");
  AddLimitOptions(intake, &ctx.g.office);
  AddVendorKeyOptions(intake, &ctx.g.office);
  intake->add_flag("--fail-on-quarantine", o->fail_on_quarantine,
                   "exit 4 when any input went to quarantine");
  intake->add_flag("--defer-ocr", o->defer_ocr,
                   "journal pages behind a cover sheet without OCR; `reindex --pending` reads "
                   "them later");
  AddRemoteWorkerOptions(intake, &ctx.g.office.remote);
  intake->callback(run([&ctx, o] {
    return IntakeCommand(ctx, o->paths, o->batch, o->fail_on_quarantine, o->defer_ocr);
  }));

  auto* reindex =
      app.add_subcommand("reindex", "re-run OCR and extraction, rebuild indexes (resumable)");
  reindex->add_option("--workers", ctx.g.office.workers, "worker threads (default: one per core)");
  reindex->add_flag("--pending", o->pending,
                    "only documents whose OCR intake deferred (intake --defer-ocr)");
  reindex->callback(run([&ctx, o] { return ReindexCommand(ctx, o->pending); }));
}

}  // namespace postmottak
