#include "pipeline/services/retention.h"

#include <algorithm>
#include <optional>

#include "storage/audit.h"
#include "storage/index_keys.h"

namespace postmottak {

namespace {

// `d` without its link to case `case_id`, or nullopt when that was its only case. A
// document that concerns other cases too outlives this one's retention: it is theirs.
std::optional<Document> WithoutCase(Document d, const std::string& case_id) {
  d.also_cases.erase(std::remove(d.also_cases.begin(), d.also_cases.end(), case_id),
                     d.also_cases.end());
  if (d.case_id == case_id) {
    if (d.also_cases.empty()) return std::nullopt;
    d.case_id = d.also_cases.front();
    d.also_cases.erase(d.also_cases.begin());
  }
  return d;
}

// Deletes one case and everything of it in `change`; returns its tombstone.
Tombstone DeleteCase(Change& change, const Store& store, const Case& c, int days) {
  Tombstone t;
  t.id = c.id;
  t.area = c.area;
  t.unit = c.unit;
  t.person = store.PersonPseudonym(c.person_id);
  t.closed_at = c.closed_at;
  t.retention_days = days;
  t.deleted_at = NowUtc();
  t.deleted_by = change.principal().id;
  const Concerning about{c.id, c.person_id};
  const std::string why =
      "retention: closed " + c.closed_at + ", kept " + std::to_string(days) + " days for " + c.area;
  for (const auto& [doc_id, unused] : change.ScanIndex(index_keys::CaseDocuments(c.id))) {
    auto d = change.Get<Document>(doc_id);
    if (!d.ok()) continue;
    if (auto kept = WithoutCase(*d, c.id)) {
      change.Put(*kept);
      change.Log("retention_unlink", "document/" + d->id,
                 why + "; kept: it is on case " + kept->case_id + " too", about);
      continue;
    }
    for (const auto& p : d->pages) {
      if (auto blob = change.GetBlob(p.blob_key); blob.ok()) t.bytes += blob->size();
      change.DeleteBlob(p.blob_key);
    }
    for (const std::string* key : {&d->pdf_blob, &d->original_blob}) {
      if (key->empty()) continue;
      if (auto blob = change.GetBlob(*key); blob.ok()) t.bytes += blob->size();
      change.DeleteBlob(*key);
    }
    t.documents.push_back({d->id, d->type, d->content_hash, static_cast<int>(d->pages.size()),
                           d->batch, d->received_at});
    change.Delete<Document>(d->id);
    change.Log("retention_delete", "document/" + d->id, why, about);
  }
  for (const auto& [cover_id, unused] : change.ScanIndex(index_keys::CaseCoverSheets(c.id))) {
    t.cover_sheets.push_back(cover_id);
    change.Delete<CoverSheet>(cover_id);
    change.Log("retention_delete", "cover_sheet/" + cover_id, why, about);
  }
  for (const auto& [task_id, unused] : change.ScanIndex(index_keys::CaseTasks(c.id))) {
    t.tasks.push_back(task_id);
    change.Delete<Task>(task_id);
    change.Log("retention_delete", "task/" + task_id, why, about);
  }
  change.Delete<Case>(c.id);
  change.Put(t);
  change.Log("retention_delete", "case/" + c.id,
             why + "; " + std::to_string(t.documents.size()) + " documents, tombstone kept", about);
  return t;
}

}  // namespace

bool PastRetention(const Policy& policy, const Case& c, const std::string& now) {
  if (c.status != CaseStatus::kClosed) return false;
  const int days = policy.RetentionDays(c.area);
  const std::string until = AddDays(c.closed_at, days < 0 ? 0 : days);
  return days >= 0 && !until.empty() && until <= now;
}

Result<RetentionReport> RunRetention(Store* store, const Policy& policy,
                                     const RetentionOptions& options) {
  PM_RETURN_IF_ERROR(RequireAudited(store, options.principal, Permission::kRetention,
                                    "run retention",
                                    options.purpose.empty() ? "retention" : options.purpose));
  const std::string now = NowUtc();
  RetentionReport report;
  auto cases = store->List<Case>();
  if (!cases.ok()) return cases.status();
  for (const auto& listed : *cases) {
    if (listed.status != CaseStatus::kClosed) continue;
    ++report.cases_examined;
    if (!PastRetention(policy, listed, now)) {
      ++report.cases_kept;
      continue;
    }
    // One atomic change per case: a crash leaves each case whole or gone, with its
    // tombstone.
    Change change = store->BeginChange(options.principal, "retention");
    auto c = change.Get<Case>(listed.id);
    if (!c.ok() || c->status != CaseStatus::kClosed) continue;
    Tombstone t = DeleteCase(change, *store, *c, policy.RetentionDays(c->area));
    if (!options.dry_run) PM_RETURN_IF_ERROR(change.Commit());
    report.documents += static_cast<int>(t.documents.size());
    for (const auto& d : t.documents) report.pages += d.pages;
    report.bytes += t.bytes;
    report.deleted.push_back(std::move(t));
  }
  Change change = store->BeginChange(options.principal, "retention");
  change.Log(options.dry_run ? "retention_dry_run" : "retention_run", "store",
             std::to_string(report.deleted.size()) + " cases, " + std::to_string(report.documents) +
                 " documents " + (options.dry_run ? "due" : "deleted") + "; " +
                 std::to_string(report.cases_kept) + " closed cases kept");
  PM_RETURN_IF_ERROR(change.Commit());
  return report;
}

}  // namespace postmottak
