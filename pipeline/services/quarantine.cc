#include "pipeline/services/quarantine.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "codecs/scratch_dir.h"
#include "codecs/sha256.h"
#include "pipeline/stages/inventory.h"
#include "pipeline/stages/journal.h"
#include "pipeline/vendor/opening.h"
#include "storage/audit.h"

namespace postmottak {

namespace fs = std::filesystem;

namespace {

std::string WhatBecameOf(const Store& store, const QuarantineEntry& q, int file_index) {
  auto ledger = store.List<LedgerEntry>(LedgerFilePrefix(q.batch, file_index));
  if (!ledger.ok()) return "unknown (" + ledger.status().message() + ")";
  std::map<std::string, int> counts;
  std::string first_document;
  for (const auto& e : *ledger) {
    if (q.page > 0 && e.page != q.page) continue;
    if (e.page == 0) continue;
    ++counts[ToString(e.disposition)];
    if (first_document.empty() && !e.document.empty())
      first_document = e.document + (e.case_id.empty() ? "" : " (case " + e.case_id + ")");
  }
  std::string out;
  for (const auto& [what, n] : counts)
    out += (out.empty() ? "" : ", ") + std::to_string(n) + " " + what;
  if (!first_document.empty()) out += "; " + first_document;
  return out.empty() ? "nothing left to journal" : out;
}

// After a retry: resolved unless the input was refused again (its history grew), with
// what became of it; the file's page count learnt when a whole file was read.
Result<RetryOutcome> Settle(Store* store, const std::string& id, size_t refusals_before,
                            int file_index, int pages, IntakeReport report,
                            const IntakeOptions& options) {
  RetryOutcome outcome;
  outcome.report = std::move(report);
  Change change = store->BeginChange(options.principal, "quarantine retry");
  auto now = change.Get<QuarantineEntry>(id);
  if (!now.ok()) return now.status();
  outcome.entry = std::move(now).value();
  const QuarantineEntry& q = outcome.entry;
  outcome.resolved = q.history.size() <= refusals_before;
  if (outcome.resolved) {
    outcome.entry.status = QuarantineStatus::kRetried;
    outcome.entry.resolution =
        outcome.report.batch != q.batch
            ? "taken in as batch " + outcome.report.batch + ": " +
                  std::to_string(outcome.report.documents) + " documents, " +
                  std::to_string(outcome.report.duplicate_files) + " files taken in before, " +
                  std::to_string(outcome.report.quarantined.size()) + " quarantined"
            : WhatBecameOf(*store, q, file_index);
    outcome.entry.resolved_by = options.principal.id;
    outcome.entry.resolved_at = NowUtc();
    if (q.page == 0 && pages > 0) {
      auto b = change.Get<Batch>(q.batch);
      if (b.ok() && b->files[file_index].pages <= 0) {
        b->files[file_index].pages = pages;
        change.Put(*b);
      }
    }
    change.Put(outcome.entry);
  }
  change.Log("quarantine_retry", "quarantine/" + id,
             outcome.resolved ? "taken in: " + outcome.entry.resolution
                              : "refused again: " + outcome.entry.reason);
  PM_RETURN_IF_ERROR(change.Commit());
  return outcome;
}

// The file a retry reads: the corrected copy when given, else the bytes the entry kept,
// written to `scratch` under the original's file name. A delivery is always read under a
// delivery's name, since the name says whether it is encrypted.
Result<std::string> InputToRetry(const Store& store, const QuarantineEntry& q,
                                 const std::string& replacement, bool delivery,
                                 const std::string& scratch) {
  const std::string named = scratch + "/" + fs::path(q.file).filename().string();
  if (!replacement.empty()) {
    if (!delivery || IsDeliveryName(replacement)) return replacement;
    std::error_code ec;
    fs::copy_file(replacement, named, ec);
    if (ec) return Status::IOError("cannot copy " + replacement + ": " + ec.message());
    return named;
  }
  if (q.blob_key.empty())
    return Status::FailedPrecondition("quarantine entry " + q.id +
                                      " kept no bytes; retry it with --file and a copy");
  auto bytes = store.GetBlob(q.blob_key);
  if (!bytes.ok())
    return bytes.status().WithMessage("quarantine entry " + q.id + ": " + bytes.status().message());
  std::ofstream out(named, std::ios::binary);
  out << *bytes;
  if (!out) return Status::IOError("cannot write " + named);
  return named;
}

// A delivery refused whole could not be opened: no key or another key configured, a
// damaged or hostile zip. Retried (with the key configured now, or the vendor's new
// copy), it is listed again; one that opens is taken in as a batch of its own, named
// after the entry, its files named after the original delivery. The external
// references keep any pair journaled before from being journaled twice. One that still
// does not open is refused again in the entry's own batch: its history grows.
Result<IntakeReport> RetryDelivery(Store* store, const Rules& rules, const QuarantineEntry& q,
                                   int file_index, const std::string& path,
                                   const IntakeOptions& options) {
  auto inventory = TakeInventory({path}, options.limits, options.vendor_key);
  if (!inventory.ok()) return inventory.status();
  for (auto& f : inventory->files) {
    f.name = NamedAsInBatch(f.name, path, q.file);
    f.vendor.delivery = NamedAsInBatch(f.vendor.delivery, path, q.file);
    f.refused = NamedAsInBatch(f.refused, path, q.file);
  }
  const BatchFile& first = inventory->files.front();
  if (inventory->files.size() == 1 && first.name == q.file && !first.refused.empty()) {
    const PageFeed feed = [&](const EmitPage& emit) {
      PageJob job;  // refused whole again, with the bytes tried
      job.file_index = file_index;
      job.file = q.file;
      job.path = path;
      job.image = Status::InvalidArgument(first.refused);
      emit(std::move(job));
    };
    return RunPages(store, rules, q.batch, feed, 0, options);
  }
  IntakeOptions own = options;
  own.batch = "retry-" + q.id;
  return IntakeInventory(store, rules, *inventory, own);
}

}  // namespace

std::string ReleaseTaskId(const std::string& quarantine_id) { return "release-" + quarantine_id; }

Result<RetryOutcome> RetryQuarantined(Store* store, const Rules& rules, const std::string& id,
                                      const std::string& replacement,
                                      const IntakeOptions& options) {
  PM_RETURN_IF_ERROR(
      RequireAudited(store, options.principal, Permission::kQuarantine, "retry quarantined input",
                     options.purpose.empty() ? "quarantine retry " + id : options.purpose));
  auto q = store->Get<QuarantineEntry>(id);
  if (!q.ok()) return Status::NotFound("no quarantine entry " + id);
  if (q->status != QuarantineStatus::kHeld)
    return Status::FailedPrecondition("quarantine entry " + id + " was " + ToString(q->status) +
                                      " already: " + q->resolution);
  auto batch = store->Get<Batch>(q->batch);
  if (!batch.ok()) return Status::NotFound("quarantine entry " + id + ": no batch " + q->batch);
  int file_index = -1;
  for (size_t i = 0; i < batch->files.size(); ++i)
    if (batch->files[i].name == q->file) file_index = static_cast<int>(i);
  if (file_index < 0)
    return Status::NotFound("quarantine entry " + id + ": batch " + q->batch + " has no file " +
                            q->file);

  ScratchDir scratch("retry");
  if (scratch.path().empty()) return Status::IOError("cannot create a temporary folder");
  const BatchFile& listed = batch->files[file_index];
  const bool delivery =
      q->page == 0 && !listed.vendor.delivery.empty() && listed.name == listed.vendor.delivery;
  auto read = InputToRetry(*store, *q, replacement, delivery, scratch.path());
  if (!read.ok()) return read.status();
  const std::string path = std::move(read).value();

  const size_t refusals_before = q->history.size();
  if (delivery) {
    auto report = RetryDelivery(store, rules, *q, file_index, path, options);
    if (!report.ok()) return report.status();
    return Settle(store, id, refusals_before, file_index, -1, std::move(report).value(), options);
  }
  int pages = -1;  // written by the reader thread, read after RunPages has joined it
  // A corrected copy that is a file taken in before is that delivery again: its pages
  // are recorded as what became of that file's, as the inventory does for a batch.
  std::string copy_of;
  int copy_pages = 0;
  if (q->page == 0 && !replacement.empty()) {
    auto sha = Sha256OfFile(path);
    auto source = PageSource::Open(path, options.limits);
    if (sha.ok() && source.ok()) {
      copy_pages = (*source)->page_count();
      copy_of = EarlierCopyOf(*store, *sha, copy_pages, "");
    }
  }
  const PageFeed feed = [&](const EmitPage& emit) {
    if (!copy_of.empty()) {
      PageJob job;
      job.file_index = file_index;
      job.file = q->file;
      job.duplicate_of = copy_of;
      pages = copy_pages;
      emit(std::move(job));
      return;
    }
    pages = FeedFile(path, q->file, file_index, options.limits, {}, q->page, emit);
  };
  auto report = RunPages(store, rules, q->batch, feed, q->page == 0 ? 0 : 1, options);
  if (!report.ok()) return report.status();
  return Settle(store, id, refusals_before, file_index, pages, std::move(report).value(), options);
}

Result<QuarantineEntry> ReleaseQuarantined(Store* store, const Rules& rules, const std::string& id,
                                           const std::string& reason, const Principal& principal,
                                           const std::string& purpose) {
  PM_RETURN_IF_ERROR(RequireAudited(store, principal, Permission::kQuarantine,
                                    "release quarantined input",
                                    purpose.empty() ? "quarantine release " + id : purpose));
  if (reason.find_first_not_of(" \t\n") == std::string::npos)
    return Status::InvalidArgument("a release needs a reason");
  Change change = store->BeginChange(principal, "quarantine release: " + reason);
  auto q = change.Get<QuarantineEntry>(id);
  if (!q.ok()) return Status::NotFound("no quarantine entry " + id);
  if (q->status != QuarantineStatus::kHeld)
    return Status::FailedPrecondition("quarantine entry " + id + " was " + ToString(q->status) +
                                      " already: " + q->resolution);
  Task t;
  t.id = ReleaseTaskId(id);
  t.kind = TaskKind::kManualJournaling;
  t.quarantine_id = id;
  t.unit = rules.intake_unit();
  t.reason = "released from quarantine: " + reason + " (refused: " + q->reason + ")";
  t.created_at = NowUtc();
  change.Put(t);
  change.Log("open_task", "task/" + t.id, ToString(t.kind));
  q->status = QuarantineStatus::kReleased;
  q->resolution = reason;
  q->resolved_by = principal.id;
  q->resolved_at = NowUtc();
  q->task_id = t.id;
  change.Put(*q);
  change.Log("quarantine_release", "quarantine/" + id, reason);
  PM_RETURN_IF_ERROR(change.Commit());
  return *q;
}

namespace {

Status MailRoom(Store* store, const Principal& principal, const std::string& purpose) {
  return RequireAudited(store, principal, Permission::kQuarantine, "see batches and quarantine",
                        purpose);
}

}  // namespace

Result<std::vector<QuarantineEntry>> ListQuarantine(Store* store, const Principal& principal,
                                                    const std::string& purpose,
                                                    const std::string& batch, bool resolved_too) {
  PM_RETURN_IF_ERROR(MailRoom(store, principal, purpose));
  auto listed = store->List<QuarantineEntry>();
  if (!listed.ok()) return listed.status();
  std::vector<QuarantineEntry> entries;
  for (auto& q : *listed)
    if ((batch.empty() || q.batch == batch) &&
        (resolved_too || q.status == QuarantineStatus::kHeld))
      entries.push_back(std::move(q));
  return entries;
}

Result<QuarantineEntry> ReadQuarantineEntry(Store* store, const Principal& principal,
                                            const std::string& purpose, const std::string& id) {
  PM_RETURN_IF_ERROR(MailRoom(store, principal, purpose));
  auto q = store->Get<QuarantineEntry>(id);
  if (!q.ok() && q.status().IsNotFound()) return Status::NotFound("no quarantine entry " + id);
  return q;
}

Result<std::string> ReadQuarantinedBytes(Store* store, const Principal& principal,
                                         const std::string& purpose, const std::string& id) {
  auto q = ReadQuarantineEntry(store, principal, purpose, id);
  if (!q.ok()) return q.status();
  if (q->blob_key.empty()) return Status::NotFound("quarantine entry " + id + " kept no bytes");
  Change change = store->BeginChange(principal, purpose);
  auto bytes = change.GetBlob(q->blob_key);
  if (!bytes.ok()) return bytes.status();
  change.Log("read_page_images", "quarantine/" + id, "kept bytes");
  PM_RETURN_IF_ERROR(change.Commit());
  return bytes;
}

}  // namespace postmottak
