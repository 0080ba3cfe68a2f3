// The session's mail-room calls (postmottak/office.h): statistics, batches, the
// reconciliation of a batch and the quarantine. The services decide and audit; this
// file translates their records into the public ones.
#include <algorithm>
#include <ctime>
#include <filesystem>
#include <optional>

#include "pipeline/services/public_records.h"
#include "pipeline/services/quarantine.h"
#include "pipeline/services/reconcile.h"
#include "pipeline/services/session_rep.h"
#include "pipeline/services/statistics.h"
#include "pipeline/services/vendor_reconcile.h"
#include "pipeline/stages/inventory.h"

namespace postmottak {

Result<StatisticsReport> Session::Statistics(const StatisticsPeriod& period) {
  return StatisticsOf(rep_->store(), rep_->office->rules, rep_->principal, rep_->purpose, period,
                      NowUtc());
}

Result<std::vector<BatchRecord>> Session::Batches() {
  auto batches = ListBatches(rep_->store(), rep_->principal, rep_->purpose);
  if (!batches.ok()) return batches.status();
  std::vector<BatchRecord> out;
  for (const auto& b : *batches) out.push_back(RecordOf(b));
  return out;
}

Result<Reconciliation> Session::Reconcile(const std::string& batch,
                                          const std::string& manifest_file) {
  std::optional<std::vector<ManifestFile>> manifest;
  if (!manifest_file.empty()) {
    auto m = LoadManifest(manifest_file);
    if (!m.ok()) return m.status();
    manifest = ResolveManifest(*m, std::filesystem::path(manifest_file).parent_path().string());
  }
  return postmottak::Reconcile(rep_->store(), rep_->principal, rep_->purpose, batch, manifest);
}

Result<VendorReconciliation> Session::ReconcileVendor(const std::string& list_file) {
  auto names = ReadVendorList(list_file);
  if (!names.ok()) return names.status();
  return postmottak::ReconcileVendor(rep_->store(), rep_->principal, rep_->purpose, {list_file},
                                     *names);
}

Result<VendorReconciliation> Session::ReconcileVendorDay(const std::string& day,
                                                         const std::string& lists_dir) {
  auto lists = VendorListsOf(lists_dir, day);
  if (!lists.ok()) return lists.status();
  std::vector<std::string> names;
  for (const auto& list : *lists) {
    auto more = ReadVendorList(list);
    if (!more.ok()) return more.status();
    for (auto& n : *more)
      if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(std::move(n));
  }
  return postmottak::ReconcileVendor(rep_->store(), rep_->principal, rep_->purpose, *lists, names,
                                     day);
}

Result<std::vector<QuarantineRecord>> Session::Quarantine(const std::string& batch,
                                                          bool resolved_too) {
  auto entries = ListQuarantine(rep_->store(), rep_->principal, rep_->purpose, batch, resolved_too);
  if (!entries.ok()) return entries.status();
  std::vector<QuarantineRecord> out;
  for (const auto& q : *entries) out.push_back(RecordOf(q));
  return out;
}

Result<QuarantineRecord> Session::ReadQuarantined(const std::string& id) {
  auto q = ReadQuarantineEntry(rep_->store(), rep_->principal, rep_->purpose, id);
  if (!q.ok()) return q.status();
  return RecordOf(*q);
}

Result<std::string> Session::QuarantinedBytes(const std::string& id) {
  return ReadQuarantinedBytes(rep_->store(), rep_->principal, rep_->purpose, id);
}

Result<QuarantineRecord> Session::RetryQuarantined(const std::string& id,
                                                   const std::string& replacement_file) {
  auto outcome = postmottak::RetryQuarantined(rep_->store(), rep_->office->rules, id,
                                              replacement_file, rep_->Intake());
  if (!outcome.ok()) return outcome.status();
  return RecordOf(outcome->entry);
}

Result<QuarantineRecord> Session::ReleaseQuarantined(const std::string& id,
                                                     const std::string& reason) {
  auto q = postmottak::ReleaseQuarantined(rep_->store(), rep_->office->rules, id, reason,
                                          rep_->principal, rep_->purpose);
  if (!q.ok()) return q.status();
  return RecordOf(*q);
}

}  // namespace postmottak
