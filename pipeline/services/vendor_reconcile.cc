#include "pipeline/services/vendor_reconcile.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>

#include "codecs/file_bytes.h"
#include "storage/audit.h"
#include "storage/index_keys.h"

namespace postmottak {

namespace fs = std::filesystem;

namespace {

constexpr int64_t kMaxListBytes = int64_t{16} << 20;

// How good an account is: a file delivered more than once is reported by its best.
int Rank(const std::string& status) {
  static const char* const order[] = {"missing", "in_intake", "quarantined", "released",
                                      "retried", "duplicate", "journaled"};
  for (int i = 0; i < 7; ++i)
    if (status == order[i]) return i;
  return 0;
}

void AddUnique(std::vector<std::string>* to, const std::string& s) {
  if (!s.empty() && std::find(to->begin(), to->end(), s) == to->end()) to->push_back(s);
}

// What became of one delivered file, from its ledger entries.
VendorFileAccount AccountOfFile(const Store& store, const std::string& batch, int index,
                                const std::string& file) {
  VendorFileAccount a;
  a.batch = batch;
  a.file = file;
  a.status = "in_intake";
  a.detail = "received; its intake is not finished";
  auto entries = store.List<LedgerEntry>(LedgerFilePrefix(batch, index));
  if (!entries.ok()) return a;
  for (const auto& e : *entries) {
    std::string status = ToString(e.disposition);
    std::string detail = e.detail;
    if (e.disposition == PageDisposition::kQuarantined) {
      auto q = store.Get<QuarantineEntry>(e.quarantine);
      if (q.ok() && q->status == QuarantineStatus::kReleased) {
        status = "released";
        detail = "quarantine " + q->id + " released to manual journaling: " + q->resolution;
      } else if (q.ok() && q->status == QuarantineStatus::kRetried) {
        status = "retried";
        detail = "quarantine " + q->id + " retried: " + q->resolution;
      } else {
        detail = "quarantine " + e.quarantine + ": " + (q.ok() ? q->reason : e.detail);
      }
    } else if (status != "journaled" && status != "duplicate") {
      continue;  // blank pages and sheets say nothing of the file's fate
    }
    AddUnique(&a.documents, e.document);
    AddUnique(&a.cases, e.case_id);
    if (Rank(status) > Rank(a.status)) {
      a.status = status;
      a.detail = detail;
    }
  }
  if (a.status == "journaled") a.detail.clear();
  return a;
}

// The best account of a vendor's file over every delivery of it.
VendorFileAccount AccountOfName(const Store& store, const std::string& name) {
  VendorFileAccount best;
  best.status = "missing";
  best.detail = "not received";
  int deliveries = 0;
  for (const auto& [at, file] : store.ScanIndex(index_keys::VendorFiles(name))) {
    const auto slash = at.rfind('/');
    if (slash == std::string::npos) continue;
    ++deliveries;
    VendorFileAccount a =
        AccountOfFile(store, at.substr(0, slash), std::atoi(at.c_str() + slash + 1), file);
    if (Rank(a.status) > Rank(best.status)) best = std::move(a);
  }
  best.name = name;
  if (deliveries > 1)
    best.detail += (best.detail.empty() ? "" : "; ") + std::string("delivered ") +
                   std::to_string(deliveries) + " times";
  return best;
}

}  // namespace

Result<std::vector<std::string>> ParseVendorList(const std::string& text,
                                                 const std::string& source) {
  if (static_cast<int64_t>(text.size()) > kMaxListBytes)
    return Status::InvalidArgument(source + ": larger than " + std::to_string(kMaxListBytes) +
                                   " bytes");
  std::vector<std::string> names;
  std::set<std::string> seen;
  std::istringstream in(text);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    line = line.substr(first, line.find_last_not_of(" \t\r") - first + 1);
    const std::string name = fs::path(line).filename().string();
    if (name.empty() || name.size() > 255 || name.find('\0') != std::string::npos || name == "." ||
        name == "..")
      return Status::InvalidArgument(source + " line " + std::to_string(n) + ": not a file name");
    if (seen.insert(name).second) names.push_back(name);
  }
  return names;
}

Result<std::vector<std::string>> ReadVendorList(const std::string& path) {
  auto text = ReadFileBytes(path, kMaxListBytes, "vendor list " + path);
  if (!text.ok()) return text.status();
  return ParseVendorList(*text, "vendor list " + path);
}

Result<std::vector<std::string>> VendorListsOf(const std::string& dir, const std::string& day) {
  if (day.size() != 10 || day[4] != '-' || day[7] != '-')
    return Status::InvalidArgument("day " + day + " is not YYYY-MM-DD");
  std::string compact = day;
  compact.erase(std::remove(compact.begin(), compact.end(), '-'), compact.end());
  std::error_code ec;
  std::vector<std::string> lists;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    std::error_code e2;
    if (e.is_regular_file(e2) &&
        (name.find(day) != std::string::npos || name.find(compact) != std::string::npos))
      lists.push_back(e.path().string());
  }
  if (ec) return Status::IOError("folder " + dir + " cannot be read: " + ec.message());
  std::sort(lists.begin(), lists.end());
  return lists;
}

Result<VendorReconciliation> ReconcileVendor(Store* store, const Principal& principal,
                                             const std::string& purpose,
                                             const std::vector<std::string>& lists,
                                             const std::vector<std::string>& names,
                                             const std::string& day) {
  PM_RETURN_IF_ERROR(RequireAudited(store, principal, Permission::kQuarantine,
                                    "reconcile the vendor's deliveries", purpose));
  VendorReconciliation r;
  r.day = day;
  r.lists = lists;
  std::set<std::string> listed(names.begin(), names.end());
  for (const auto& name : names) {
    r.files.push_back(AccountOfName(*store, name));
    ++r.counts[r.files.back().status];
  }
  if (!day.empty()) {
    auto batches = store->List<Batch>();
    if (!batches.ok()) return batches.status();
    std::set<std::string> unlisted;
    for (const auto& b : *batches)
      if (b.created_at.compare(0, day.size(), day) == 0)
        for (const auto& f : b.files)
          if (!f.vendor.external_ref.empty() && !listed.count(f.vendor.external_ref))
            unlisted.insert(f.vendor.external_ref);
    for (const auto& name : unlisted) r.unlisted.push_back(AccountOfName(*store, name));
  }
  // The ledger names documents and cases: reading it is audited.
  Change change = store->BeginChange(principal, purpose);
  change.Log("reconcile_vendor", day.empty() ? "vendor" : "vendor/" + day,
             std::to_string(r.files.size()) + " files listed, " +
                 std::to_string(r.count("missing")) + " missing, " +
                 std::to_string(r.unlisted.size()) + " unlisted");
  PM_RETURN_IF_ERROR(change.Commit());
  return r;
}

}  // namespace postmottak
