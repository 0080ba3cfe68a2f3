#include "pipeline/services/reconcile.h"

#include <filesystem>
#include <set>

#include "storage/audit.h"

namespace postmottak {

namespace {

PageAccount AccountOf(const Store& store, const LedgerEntry& e) {
  PageAccount a;
  a.file_index = e.file_index;
  a.file = e.file;
  a.page = e.page;
  a.status = ToString(e.disposition);
  a.document = e.document;
  a.case_id = e.case_id;
  a.quarantine = e.quarantine;
  a.detail = e.detail;
  if (e.disposition == PageDisposition::kQuarantined) {
    auto q = store.Get<QuarantineEntry>(e.quarantine);
    if (!q.ok()) {
      a.detail = "quarantine entry " + e.quarantine + " is missing";
    } else if (q->status == QuarantineStatus::kReleased) {
      a.status = "released";
      a.detail = "to manual journaling, task " + q->task_id + ": " + q->resolution;
    } else if (q->status == QuarantineStatus::kRetried) {
      a.status = "retried";
      a.detail = "retried: " + q->resolution;
    } else {
      a.detail = q->reason;
    }
  }
  return a;
}

std::string Normal(const std::string& name) {
  return std::filesystem::path(name).lexically_normal().string();
}

}  // namespace

Result<Reconciliation> Reconcile(Store* store_ptr, const Principal& principal,
                                 const std::string& purpose, const std::string& batch_id,
                                 const std::optional<std::vector<ManifestFile>>& manifest) {
  PM_RETURN_IF_ERROR(
      RequireAudited(store_ptr, principal, Permission::kQuarantine, "reconcile batches", purpose));
  const Store& store = *store_ptr;
  auto batch = store.Get<Batch>(batch_id);
  if (!batch.ok()) return Status::NotFound("no batch " + batch_id + " in the store");
  Reconciliation r;
  r.batch = batch_id;
  r.files = static_cast<int>(batch->files.size());
  r.intake_complete = batch->complete;

  auto entries = store.List<LedgerEntry>(LedgerBatchPrefix(batch_id));
  if (!entries.ok()) return entries.status();
  std::map<std::pair<int, int>, LedgerEntry> ledger;
  for (auto& e : *entries) ledger.emplace(std::make_pair(e.file_index, e.page), std::move(e));

  for (size_t i = 0; i < batch->files.size(); ++i) {
    const BatchFile& f = batch->files[i];
    const int index = static_cast<int>(i);
    auto account = [&](int page) {
      auto it = ledger.find({index, page});
      PageAccount a;
      if (it != ledger.end()) {
        a = AccountOf(store, it->second);
        ledger.erase(it);
      } else {
        a.file_index = index;
        a.file = f.name;
        a.page = page;
        a.status = "missing";
        a.detail = page == 0 ? "the file was never read" : "no record of this page";
        r.missing.push_back(a);
      }
      ++r.counts[a.status];
      r.pages.push_back(std::move(a));
    };
    // A file refused as a whole is one account (until a retry reads its pages); a
    // readable one, one per page.
    const bool whole = ledger.count({index, 0}) > 0;
    auto next = ledger.upper_bound({index, 0});
    const bool has_pages = next != ledger.end() && next->first.first == index;
    if (whole) account(0);
    if (f.pages > 0 && (!whole || has_pages)) {
      r.pages_expected += f.pages;
      for (int p = 1; p <= f.pages; ++p) account(p);
    } else if (!whole) {
      account(0);
    }
    // Entries beyond the expected pages (the unreachable rest of a damaged file).
    for (auto it = ledger.lower_bound({index, 0});
         it != ledger.end() && it->first.first == index;) {
      PageAccount a = AccountOf(store, it->second);
      ++r.counts[a.status];
      r.pages.push_back(std::move(a));
      it = ledger.erase(it);
    }
  }

  const std::vector<ManifestFile>* listed = manifest              ? &*manifest
                                            : batch->has_manifest ? &batch->manifest
                                                                  : nullptr;
  if (listed) {
    r.checked_manifest = true;
    std::map<std::string, const BatchFile*> received;
    for (const auto& f : batch->files) received[Normal(f.name)] = &f;
    std::set<std::string> named;
    for (const auto& m : *listed) {
      const std::string name = Normal(m.name);
      named.insert(name);
      auto it = received.find(name);
      if (it == received.end()) {
        r.manifest_problems.push_back(
            "listed in the manifest but not received: " + m.name +
            (m.pages > 0 ? " (" + std::to_string(m.pages) + " pages)" : ""));
        continue;
      }
      const BatchFile& f = *it->second;
      if (!m.sha256.empty() && m.sha256 != f.sha256)
        r.manifest_problems.push_back("checksum of " + f.name +
                                      " differs from the manifest: changed or damaged in transit");
      if (m.pages > 0 && m.pages != f.pages)
        r.manifest_problems.push_back(
            f.name + " holds " +
            (f.pages < 0 ? std::string("no readable") : std::to_string(f.pages)) +
            " pages, the manifest says " + std::to_string(m.pages));
    }
    for (const auto& f : batch->files)
      if (!named.count(Normal(f.name)))
        r.manifest_problems.push_back("received but not in the manifest: " + f.name);
  }
  // The ledger names every document and case of the batch: reading it is audited.
  Change change = store_ptr->BeginChange(principal, purpose);
  change.Log("reconcile", "batch/" + batch_id,
             std::to_string(r.pages.size()) + " pages, " + std::to_string(r.missing.size()) +
                 " unaccounted for");
  PM_RETURN_IF_ERROR(change.Commit());
  return r;
}

Result<std::vector<Batch>> ListBatches(Store* store, const Principal& principal,
                                       const std::string& purpose) {
  PM_RETURN_IF_ERROR(
      RequireAudited(store, principal, Permission::kQuarantine, "see batches", purpose));
  return store->List<Batch>();
}

}  // namespace postmottak
