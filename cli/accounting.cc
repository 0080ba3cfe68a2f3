#include "cli/accounting.h"

#include <iomanip>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/json_views.h"

namespace postmottak {

namespace {

using nlohmann::json;

// Exit code when reconcile or verify finds something wrong (commands.h).
constexpr int kUnbalanced = 5;

int BatchesCommand(Context& ctx) {
  auto listed = ctx.s().Batches();
  if (!listed.ok()) return Fail(listed.status());
  const std::vector<BatchRecord>& batches = *listed;
  if (ctx.g.json) {
    json out = json::array();
    for (const auto& b : batches) out.push_back(BatchJson(b));
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  if (batches.empty()) std::cout << "No batches.\n";
  for (const auto& b : batches) {
    std::cout << Padded(b.id, 30) << b.created_at << "  " << b.files
              << (b.files == 1 ? " file, " : " files, ") << b.pages
              << (b.pages == 1 ? " page, " : " pages, ") << b.runs
              << (b.runs == 1 ? " run" : " runs") << ", "
              << (b.complete ? "complete" : "unfinished")
              << (b.has_manifest ? ", with manifest" : "") << "\n";
  }
  return 0;
}

int ReconcileCommand(Context& ctx, const std::string& batch, const std::string& manifest_path,
                     bool list_pages) {
  auto r = ctx.s().Reconcile(batch, manifest_path);
  if (!r.ok()) return Fail(r.status());
  if (ctx.g.json) {
    std::cout << ReconciliationJson(*r).dump(2) << "\n";
    return r->balanced() ? 0 : kUnbalanced;
  }
  std::cout << "Reconciliation of batch " << r->batch << ": " << r->files << " files, "
            << r->pages_expected << " pages" << (r->intake_complete ? "" : " (intake unfinished)")
            << "\n";
  const char* order[] = {"journaled",   "blank",    "cover_sheet", "separator", "duplicate",
                         "quarantined", "released", "retried",     "missing"};
  for (const char* status : order) {
    auto it = r->counts.find(status);
    std::cout << "  " << Padded(status, 14) << (it == r->counts.end() ? 0 : it->second) << "\n";
  }
  if (list_pages) {
    std::cout << "\nPages:\n";
    for (const auto& a : r->pages)
      std::cout << "  " << a.file << " p." << a.page << "  " << Padded(a.status, 13)
                << (a.document.empty() ? "" : a.document + " ")
                << (a.case_id.empty() ? "" : "case " + a.case_id + " ") << a.detail << "\n";
  }
  for (const auto& a : r->missing)
    std::cout << "  MISSING " << a.file << " page " << a.page << ": " << a.detail << "\n";
  if (r->checked_manifest) {
    std::cout << "\nManifest: "
              << (r->manifest_problems.empty() ? "every file received as listed\n" : "\n");
    for (const auto& p : r->manifest_problems) std::cout << "  - " << p << "\n";
  }
  std::cout << (r->balanced() ? "\nEvery page is accounted for.\n"
                              : "\nNOT BALANCED: pages or files are unaccounted for.\n");
  return r->balanced() ? 0 : kUnbalanced;
}

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

json VendorAccountJson(const VendorFileAccount& a) {
  return {{"name", a.name},           {"status", a.status}, {"batch", a.batch},  {"file", a.file},
          {"documents", a.documents}, {"cases", a.cases},   {"detail", a.detail}};
}

void PrintVendorAccount(const VendorFileAccount& a) {
  std::cout << "  " << Padded(a.name, 24) << " " << Padded(a.status, 12);
  if (!a.documents.empty()) std::cout << " " << Joined(a.documents);
  if (!a.cases.empty()) std::cout << " case " << Joined(a.cases);
  if (!a.detail.empty()) std::cout << (a.documents.empty() ? " " : ": ") << a.detail;
  std::cout << "\n";
}

int ReconcileVendorCommand(Context& ctx, const std::string& list, const std::string& day,
                           const std::string& lists_dir) {
  if (list.empty() == day.empty())
    return Fail(Status::InvalidArgument("give the vendor's list file, or --day (with --lists)"));
  auto r =
      list.empty() ? ctx.s().ReconcileVendorDay(day, lists_dir) : ctx.s().ReconcileVendor(list);
  if (!r.ok()) return Fail(r.status());
  const int rc = r->balanced() ? 0 : kUnbalanced;
  if (ctx.g.json) {
    json files = json::array(), unlisted = json::array();
    for (const auto& a : r->files) files.push_back(VendorAccountJson(a));
    for (const auto& a : r->unlisted) unlisted.push_back(VendorAccountJson(a));
    std::cout << json{{"day", r->day},  {"lists", r->lists},    {"counts", r->counts},
                      {"files", files}, {"unlisted", unlisted}, {"balanced", r->balanced()}}
                     .dump(2)
              << "\n";
    return rc;
  }
  if (r->lists.empty()) {
    std::cout << "No list from the vendor for " << r->day << " in " << lists_dir
              << ": what it delivered that day cannot be checked.\n";
  } else {
    std::cout << "The vendor's list" << (r->day.empty() ? "" : " for " + r->day) << " ("
              << Joined(r->lists) << "): " << r->files.size() << " files\n";
    for (const char* status :
         {"journaled", "duplicate", "quarantined", "released", "retried", "in_intake", "missing"})
      if (r->count(status) > 0) std::cout << "  " << Padded(status, 14) << r->count(status) << "\n";
    std::cout << "\n";
    for (const auto& a : r->files) PrintVendorAccount(a);
  }
  if (!r->unlisted.empty()) {
    std::cout << "\nTaken in on " << r->day << " but on no list of the vendor:\n";
    for (const auto& a : r->unlisted) PrintVendorAccount(a);
  }
  if (!r->lists.empty())
    std::cout << (r->balanced() ? "\nEvery file on the list is accounted for.\n"
                                : "\nNOT BALANCED: files on the list are missing or unfinished.\n");
  return rc;
}

int QuarantineList(Context& ctx, const std::string& batch, bool all) {
  auto listed = ctx.s().Quarantine(batch, all);
  if (!listed.ok()) return Fail(listed.status());
  const std::vector<QuarantineRecord>& entries = *listed;
  if (ctx.g.json) {
    json out = json::array();
    for (const auto& q : entries) out.push_back(QuarantineJson(q));
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  if (entries.empty())
    std::cout << (all ? "Quarantine is empty.\n" : "Nothing held in quarantine.\n");
  for (const auto& q : entries)
    std::cout << Padded(q.id, 24) << Padded(q.status, 10) << q.batch << "  " << q.file
              << (q.page ? " p." + std::to_string(q.page) : " (whole file)") << "\n    " << q.reason
              << "\n";
  return 0;
}

int QuarantineShow(Context& ctx, const std::string& id, const std::string& out) {
  auto q = ctx.s().ReadQuarantined(id);
  if (!q.ok()) return Fail(q.status());
  if (!out.empty()) {
    auto bytes = ctx.s().QuarantinedBytes(id);
    if (!bytes.ok()) return Fail(bytes.status());
    if (Status written = WriteBytes(out, *bytes); !written.ok()) return Fail(written);
  }
  if (ctx.g.json) {
    std::cout << QuarantineJson(*q).dump(2) << "\n";
    return 0;
  }
  std::cout << "Quarantine entry " << q->id << "  (" << q->status << ")\n"
            << "  Batch:   " << q->batch << "\n"
            << "  File:    " << q->file
            << (q->page ? "  page " + std::to_string(q->page) : "  (whole file)") << "\n"
            << "  Reason:  " << q->reason << "\n"
            << "  Since:   " << q->time << "\n"
            << "  Kept:    " << (q->kept ? "the bytes, sha256 " + q->sha256 : "no bytes") << "\n";
  if (q->status != "held")
    std::cout << "  " << (q->status == "released" ? "Released" : "Retried") << " by "
              << q->resolved_by << " at " << q->resolved_at << ": " << q->resolution
              << (q->task_id.empty() ? "" : " (task " + q->task_id + ")") << "\n";
  for (const auto& h : q->history) std::cout << "  Earlier: " << h.time << "  " << h.reason << "\n";
  if (!out.empty()) std::cout << "  Bytes written to " << out << "\n";
  return 0;
}

int QuarantineRetry(Context& ctx, const std::string& id, const std::string& file) {
  auto q = ctx.s().RetryQuarantined(id, file);
  if (!q.ok()) return Fail(q.status());
  const bool resolved = q->status != "held";
  if (ctx.g.json) {
    std::cout << json{{"resolved", resolved}, {"entry", QuarantineJson(*q)}}.dump(2) << "\n";
  } else if (resolved) {
    std::cout << "Retried " << id << ": " << q->resolution << "\n";
  } else {
    std::cout << "Retried " << id << ", refused again: " << q->reason << "\n";
  }
  return resolved ? 0 : 4;
}

int QuarantineRelease(Context& ctx, const std::string& id, const std::string& reason) {
  auto q = ctx.s().ReleaseQuarantined(id, reason);
  if (!q.ok()) return Fail(q.status());
  if (ctx.g.json) {
    std::cout << QuarantineJson(*q).dump(2) << "\n";
  } else {
    std::cout << "Released " << id << " to manual journaling: task " << q->task_id << " in unit "
              << ctx.rules->intake_unit() << "\n";
  }
  return 0;
}

int VerifyCommand(Context& ctx, bool repair) {
  auto r = ctx.s().Verify(repair);
  if (!r.ok()) return Fail(r.status());
  if (ctx.g.json) {
    json problems = json::array();
    for (const auto& p : r->problems)
      problems.push_back({{"kind", p.kind},
                          {"object", p.object},
                          {"detail", p.detail},
                          {"repairable", p.repairable}});
    std::cout << json{{"records", r->records},       {"blobs", r->blobs},
                      {"blob_bytes", r->blob_bytes}, {"index_entries", r->index_entries},
                      {"events", r->events},         {"repaired", r->repaired},
                      {"problems", problems}}
                     .dump(2)
              << "\n";
    return r->ok() ? 0 : kUnbalanced;
  }
  std::cout << "Verified " << r->records << " records, " << r->blobs << " blobs (" << std::fixed
            << std::setprecision(1) << r->blob_bytes / 1048576.0 << " MiB re-read), "
            << r->index_entries << " index entries, " << r->events << " events"
            << (r->repaired ? "; index rebuilt" : "") << "\n";
  bool repairable = false;
  for (const auto& p : r->problems) {
    std::cout << "  " << Padded(p.kind, 20) << p.object << ": " << p.detail << "\n";
    repairable = repairable || p.repairable;
  }
  if (r->ok()) {
    std::cout << "No problems found.\n";
  } else {
    std::cout << r->problems.size() << " problems"
              << (repairable ? "; `verify --repair` rebuilds the index" : "") << "\n";
  }
  return r->ok() ? 0 : kUnbalanced;
}

}  // namespace

void AddLimitOptions(CLI::App* command, OfficeOptions* office) {
  auto mb = std::make_shared<int64_t>(office->max_file_bytes >> 20);
  command->add_option("--max-file-mb", *mb, "refuse input files larger than this (MiB)")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 20))
      ->capture_default_str()
      ->each([office, mb](const std::string&) { office->max_file_bytes = *mb << 20; });
  command->add_option("--max-pages", office->max_pages, "refuse files with more pages")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
  command->add_option("--max-pixels", office->max_pixels, "refuse pages with more pixels")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40))
      ->capture_default_str();
  command
      ->add_option("--page-seconds", office->page_seconds,
                   "time bound on one page (rendering, analysis, OCR); a page past it is "
                   "journaled without text and a person is asked to read it")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
}

void AddVendorKeyOptions(CLI::App* command, OfficeOptions* office) {
  command->add_option("--vendor-key", office->vendor_key_file,
                      "the OpenPGP secret key that decrypts the scanning vendor's deliveries");
  command->add_option("--vendor-passphrase-file", office->vendor_passphrase_file,
                      "a file holding that key's passphrase");
}

void AddAccountingCommands(CLI::App& app, Context& ctx, const Runner& run) {
  struct Options {
    std::string batch, manifest, id, file, reason, out, day, lists = ".";
    bool pages = false, all = false, repair = false;
  };
  auto o = std::make_shared<Options>();

  app.add_subcommand("batches", "the batches taken in")->callback(run([&ctx] {
    return BatchesCommand(ctx);
  }));

  auto* reconcile = app.add_subcommand(
      "reconcile", "account for every page of a batch; exit 5 when any is unaccounted for");
  reconcile->add_option("batch", o->batch, "batch id (see `batches`)");
  reconcile->add_option("--manifest", o->manifest, "check against this manifest.json");
  reconcile->add_flag("--pages", o->pages, "list every page");
  auto batch_reconcile = run([&ctx, o] {
    if (o->batch.empty()) return Fail(Status::InvalidArgument("give a batch id (see `batches`)"));
    return ReconcileCommand(ctx, o->batch, o->manifest, o->pages);
  });
  reconcile->callback([reconcile, batch_reconcile] {
    if (reconcile->get_subcommands().empty()) batch_reconcile();  // else `reconcile vendor` ran
  });
  auto* vendor = reconcile->add_subcommand(
      "vendor",
      "account for every PDF on the scanning vendor's daily list; exit 5 when any is missing");
  vendor->add_option("list", o->file, "the vendor's list: one PDF file name a line");
  vendor->add_option("--day", o->day, "the day (YYYY-MM-DD) whose list to find in --lists");
  vendor->add_option("--lists", o->lists, "where the vendor's daily lists arrive")
      ->capture_default_str();
  vendor->callback(
      run([&ctx, o] { return ReconcileVendorCommand(ctx, o->file, o->day, o->lists); }));

  auto* quarantine = app.add_subcommand("quarantine", "rejected inputs: list, show, retry, release")
                         ->require_subcommand(1);
  auto* list = quarantine->add_subcommand("list", "entries held (--all: retried and released too)");
  list->add_option("--batch", o->batch, "only this batch");
  list->add_flag("--all", o->all, "retried and released entries too");
  list->callback(run([&ctx, o] { return QuarantineList(ctx, o->batch, o->all); }));
  auto* show = quarantine->add_subcommand("show", "one entry, with its history");
  show->add_option("id", o->id)->required();
  show->add_option("--out", o->out, "write the kept bytes to this file");
  show->callback(run([&ctx, o] { return QuarantineShow(ctx, o->id, o->out); }));
  auto* retry = quarantine->add_subcommand("retry", "take the input in again, after a fix");
  retry->add_option("id", o->id)->required();
  retry->add_option("--file", o->file, "a corrected copy of the file to read instead");
  retry->add_option("--workers", ctx.g.office.workers, "worker threads (default: one per core)");
  AddLimitOptions(retry, &ctx.g.office);
  AddVendorKeyOptions(retry, &ctx.g.office);  // a delivery that could not be opened
  retry->callback(run([&ctx, o] { return QuarantineRetry(ctx, o->id, o->file); }));
  auto* release = quarantine->add_subcommand("release", "hand to manual journaling, with a reason");
  release->add_option("id", o->id)->required();
  release->add_option("--reason", o->reason, "why")->required();
  release->callback(run([&ctx, o] { return QuarantineRelease(ctx, o->id, o->reason); }));

  auto* verify = app.add_subcommand(
      "verify", "re-read every blob against its checksum, check indexes and references");
  verify->add_flag("--repair", o->repair, "rebuild the derived indexes when they differ");
  verify->callback(run([&ctx, o] { return VerifyCommand(ctx, o->repair); }));
}

}  // namespace postmottak
