// The session's upkeep calls (postmottak/office.h): verify, reindex and retention, the
// audit trail and grants. The services decide and audit; this file translates.
#include "pipeline/archive/noark5.h"
#include "pipeline/services/public_records.h"
#include "pipeline/services/reindex.h"
#include "pipeline/services/retention.h"
#include "pipeline/services/session_rep.h"
#include "storage/audit.h"
#include "storage/verify.h"

namespace postmottak {

Result<VerifyReport> Session::Verify(bool repair) {
  return VerifyStore(rep_->store(), repair, rep_->principal, rep_->purpose);
}

Result<ReindexReport> Session::Reindex(bool only_pending,
                                       const std::function<void(int, int)>& on_progress) {
  const OfficeOptions& o = rep_->office->options;
  ReindexOptions options;
  options.principal = rep_->principal;
  options.purpose = rep_->purpose;
  options.workers = o.workers;
  options.ocr = rep_->Ocr();
  options.page_seconds = o.page_seconds;
  options.only_pending = only_pending;
  options.on_progress = on_progress;
  return postmottak::Reindex(rep_->store(), rep_->office->rules, options);
}

Result<RetentionSummary> Session::Retention(bool dry_run) {
  RetentionOptions options;
  options.principal = rep_->principal;
  options.purpose = rep_->purpose;
  options.dry_run = dry_run;
  auto report = RunRetention(rep_->store(), rep_->office->policy, options);
  if (!report.ok()) return report.status();
  return SummaryOf(*report, dry_run);
}

Result<DepositReport> Session::DepositNoark5(const DepositOptions& options) {
  return ExportNoark5(rep_->store(), rep_->office->rules, rep_->office->policy, rep_->principal,
                      rep_->purpose, options);
}

Result<std::vector<AuditEntryRecord>> Session::AuditTrail(const AuditQuery& query) {
  auto events = ReadAuditTrail(rep_->store(), rep_->principal, rep_->purpose, query);
  if (!events.ok()) return events.status();
  std::vector<AuditEntryRecord> out;
  out.reserve(events->size());
  for (const auto& e : *events) out.push_back(RecordOf(e));
  return out;
}

Result<AuditCheck> Session::VerifyAuditTrail(const std::vector<std::string>& anchor_texts) {
  std::vector<AuditAnchor> anchors;
  for (const auto& text : anchor_texts) {
    auto a = ParseAuditAnchor(text);
    if (!a.ok()) return a.status();
    anchors.push_back(*a);
  }
  return CheckAuditTrail(rep_->store(), rep_->principal, anchors, rep_->purpose);
}

Result<GrantRecord> Session::GrantAccess(const std::string& case_id, const std::string& principal,
                                         const std::string& purpose, const std::string& expires) {
  return rep_->service.GrantAccess(case_id, principal, purpose, expires);
}

Result<GrantRecord> Session::RevokeGrant(const std::string& grant_id) {
  return rep_->service.RevokeGrant(grant_id);
}

Result<std::vector<GrantRecord>> Session::Grants(const std::string& case_id) {
  return rep_->service.ListGrants(case_id);
}

}  // namespace postmottak
