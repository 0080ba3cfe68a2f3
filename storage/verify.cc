#include "storage/verify.h"

#include <map>
#include <set>

#include "codecs/sha256.h"
#include "storage/audit.h"

namespace postmottak {

namespace {

class Checker {
 public:
  explicit Checker(const Store& store) : store_(store) {}

  VerifyReport Run() {
    Records<Case>("case");
    Records<CoverSheet>("cover_sheet");
    Records<Document>("document");
    Records<Task>("task");
    Records<QuarantineEntry>("quarantine");
    Records<Batch>("batch");
    Records<LedgerEntry>("ledger");
    Records<Grant>("grant");
    Records<Tombstone>("tombstone");
    References();
    Blobs();
    Events();
    Index();
    return std::move(report_);
  }

 private:
  void Problem(std::string kind, std::string object, std::string detail, bool repairable = false) {
    report_.problems.push_back({std::move(kind), std::move(object), std::move(detail), repairable});
  }

  // Decodes every record of a family; what decodes is kept for the other checks.
  template <typename R>
  void Records(const std::string& name) {
    Status scanned = store_.ForEach(
        RecordTraits<R>::kFamily, "", [&](const std::string& key, const std::string& value) {
          ++report_.records;
          R r;
          try {
            r = nlohmann::json::parse(value).get<R>();
          } catch (const std::exception& e) {
            Problem("corrupt_record", name + "/" + key,
                    std::string("cannot be decoded: ") + e.what());
            return true;
          }
          if (r.id != key)
            Problem("corrupt_record", name + "/" + key, "record says its id is " + r.id);
          for (auto& [k, v] : IndexEntriesOf(r)) expected_index_[k] = v;
          Keep(r);
          return true;
        });
    // A scan that stopped part-way must not pass for a clean store of fewer records.
    if (!scanned.ok()) Problem("scan_failed", name, scanned.message());
  }

  void Keep(const Case& c) { cases_.insert(c.id); }
  void Keep(const CoverSheet& c) { case_links_.push_back({"cover_sheet/" + c.id, c.case_id}); }
  void Keep(const Document& d) {
    documents_.insert(d.id);
    case_links_.push_back({"document/" + d.id, d.case_id});
    for (const auto& also : d.also_cases) case_links_.push_back({"document/" + d.id, also});
    for (const auto& p : d.pages) Expect(p.blob_key, p.sha256, "document/" + d.id);
    if (!d.pdf_blob.empty()) Expect(d.pdf_blob, d.pdf_sha256, "document/" + d.id);
    if (!d.original_blob.empty()) Expect(d.original_blob, d.original_sha256, "document/" + d.id);
  }
  void Keep(const Task& t) { tasks_.push_back(t); }
  void Keep(const QuarantineEntry& q) {
    quarantine_.insert(q.id);
    if (!q.blob_key.empty()) Expect(q.blob_key, q.sha256, "quarantine/" + q.id);
    for (const auto& h : q.history)
      if (!h.blob_key.empty()) Expect(h.blob_key, h.sha256, "quarantine/" + q.id);
  }
  void Keep(const Batch&) {}
  void Keep(const Grant& g) { case_links_.push_back({"grant/" + g.id, g.case_id}); }
  // What retention deleted stays a valid reference: the ledger and grants name it still.
  void Keep(const Tombstone& t) {
    cases_.insert(t.id);
    for (const auto& d : t.documents) documents_.insert(d.id);
  }
  void Keep(const LedgerEntry& e) { ledger_.push_back(e); }

  // A blob a record names, and the checksum it holds for it (may be empty: unknown).
  void Expect(const std::string& key, const std::string& sha, const std::string& owner) {
    expected_blobs_[key] = {sha, owner};
  }

  // `object` names `what` `id`, which must be in `known` (an empty id names nothing).
  void Refers(const std::string& object, const char* what, const std::string& id,
              const std::set<std::string>& known) {
    if (!id.empty() && !known.count(id))
      Problem("dangling_reference", object,
              std::string("names ") + what + " " + id + ", which does not exist");
  }

  void References() {
    for (const auto& [object, case_id] : case_links_) Refers(object, "case", case_id, cases_);
    for (const auto& t : tasks_) {
      Refers("task/" + t.id, "case", t.case_id, cases_);
      Refers("task/" + t.id, "document", t.document_id, documents_);
      Refers("task/" + t.id, "quarantine entry", t.quarantine_id, quarantine_);
    }
    for (const auto& e : ledger_) {
      Refers("ledger/" + e.id, "document", e.document, documents_);
      Refers("ledger/" + e.id, "quarantine entry", e.quarantine, quarantine_);
    }
  }

  // Every blob re-read, one at a time, and compared with its record's checksum.
  void Blobs() {
    std::set<std::string> seen;
    Status s =
        store_.ForEach(Family::kBlobs, "", [&](const std::string& key, const std::string& value) {
          ++report_.blobs;
          report_.blob_bytes += static_cast<int64_t>(value.size());
          seen.insert(key);
          auto it = expected_blobs_.find(key);
          if (it == expected_blobs_.end()) {
            Problem("orphan_blob", "blob " + key, "no record names it (kept: nothing is deleted)");
          } else if (!it->second.first.empty() && Sha256Hex(value) != it->second.first) {
            Problem("checksum_mismatch", "blob " + key,
                    "does not match the checksum in " + it->second.second + ": damaged");
          }
          return true;
        });
    if (!s.ok()) Problem("scan_failed", "blobs", s.message());
    for (const auto& [key, expected] : expected_blobs_)
      if (!seen.count(key))
        Problem("missing_blob", "blob " + key, "named by " + expected.second + " but not stored");
  }

  void Index() {
    std::map<std::string, std::string> actual;
    Status scanned =
        store_.ForEach(Family::kIndex, "", [&](const std::string& key, const std::string& value) {
          actual.emplace(key, value);
          return true;
        });
    if (!scanned.ok()) {
      Problem("scan_failed", "index", scanned.message());
      return;  // a partial index would be reported missing entry by entry
    }
    report_.index_entries = static_cast<int>(actual.size());
    for (const auto& [key, value] : expected_index_) {
      auto it = actual.find(key);
      if (it == actual.end()) {
        Problem("index_missing", "index " + key, "derived from the records but absent", true);
      } else if (it->second != value) {
        Problem("index_wrong", "index " + key,
                "holds \"" + it->second + "\", the records say \"" + value + "\"", true);
      }
    }
    for (const auto& [key, value] : actual)
      if (!expected_index_.count(key))
        Problem("index_extra", "index " + key, "no record derives it", true);
  }

  // The audit trail's chain (storage/audit.h), and the index entries it derives.
  // The audit trail's chain (storage/audit.h), deriving its index entries on the way.
  void Events() {
    auto check = VerifyAuditTrail(store_, {}, [this](const Event& e) {
      for (auto& [k, v] : IndexEntriesOf(e)) expected_index_[k] = v;
    });
    if (!check.ok()) {
      Problem("corrupt_record", "events", check.status().message());
      return;
    }
    report_.events = static_cast<int>(check->entries);
    for (const auto& p : check->problems) Problem("audit_chain", "events", p);
  }

  const Store& store_;
  VerifyReport report_;
  std::map<std::string, std::string> expected_index_;
  std::map<std::string, std::pair<std::string, std::string>> expected_blobs_;  // key -> sha, owner
  std::set<std::string> cases_, documents_, quarantine_;
  std::vector<std::pair<std::string, std::string>> case_links_;  // object, case it names
  std::vector<Task> tasks_;
  std::vector<LedgerEntry> ledger_;
};

}  // namespace

Result<VerifyReport> VerifyStore(Store* store, bool repair, const Principal& principal,
                                 const std::string& purpose) {
  const std::string why = !purpose.empty() ? purpose : repair ? "verify --repair" : "verify";
  PM_RETURN_IF_ERROR(
      RequireAudited(store, principal, Permission::kMaintain, "verify the store", why));
  VerifyReport report = Checker(*store).Run();
  bool index_differs = false;
  for (const auto& p : report.problems) index_differs = index_differs || p.repairable;
  if (repair && index_differs) {
    PM_RETURN_IF_ERROR(store->RebuildIndexes(principal, why));
    report = Checker(*store).Run();
    report.repaired = true;
  }
  // Verification decodes every record and re-reads every blob: one entry says so.
  Change change = store->BeginChange(principal, why);
  change.Log("verify_store", "store",
             std::to_string(report.records) + " records, " + std::to_string(report.blobs) +
                 " blobs, " + std::to_string(report.problems.size()) + " problems");
  PM_RETURN_IF_ERROR(change.Commit());
  return report;
}

}  // namespace postmottak
