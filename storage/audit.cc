#include "storage/audit.h"

#include <nlohmann/json.hpp>

#include "codecs/sha256.h"
#include "storage/index_keys.h"
#include "storage/store.h"

namespace postmottak {

const char kAuditGenesis[] = "0000000000000000000000000000000000000000000000000000000000000000";

std::string EventHash(const Event& e) {
  nlohmann::json j = e;
  j.erase("hash");
  // Object keys are sorted, so the text is canonical; bytes that are not UTF-8 become
  // U+FFFD the same way when the entry is stored, so a decoded entry hashes the same.
  return Sha256Hex(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Result<AuditAnchor> ParseAuditAnchor(const std::string& text) {
  const size_t colon = text.find(':');
  AuditAnchor a;
  if (colon != std::string::npos && colon > 0 && colon < 20 && text.size() - colon - 1 == 64) {
    try {
      size_t used = 0;
      a.seq = std::stoull(text.substr(0, colon), &used);
      a.hash = text.substr(colon + 1);
      if (used == colon && a.seq > 0 &&
          a.hash.find_first_not_of("0123456789abcdef") == std::string::npos)
        return a;
    } catch (const std::exception&) {
    }
  }
  return Status::InvalidArgument("anchor '" + text.substr(0, 90) +
                                 "' is not SEQ:HASH (a sequence number and 64 hex digits)");
}

Result<AuditCheck> VerifyAuditTrail(const Store& store, const std::vector<AuditAnchor>& anchors,
                                    const std::function<void(const Event&)>& each) {
  AuditCheck check;
  uint64_t expected = 1;
  std::string prev = kAuditGenesis;
  std::map<uint64_t, std::string> anchored;
  for (const auto& a : anchors) anchored[a.seq] = a.hash;
  Status st =
      store.ForEach(Family::kEvents, "", [&](const std::string& key, const std::string& bytes) {
        Event e;
        try {
          e = nlohmann::json::parse(bytes).get<Event>();
        } catch (const std::exception&) {
          check.problems.push_back("entry " + key + " cannot be decoded: it was altered");
          ++expected;
          prev.clear();
          return true;
        }
        ++check.entries;
        if (each) each(e);
        if (key != EventKey(e.seq))
          check.problems.push_back("entry " + key + " claims sequence number " +
                                   std::to_string(e.seq) + ": it was altered or moved");
        if (e.seq > expected) {
          check.problems.push_back(
              e.seq == expected + 1
                  ? "entry " + std::to_string(expected) + " is missing: it was removed"
                  : "entries " + std::to_string(expected) + " to " + std::to_string(e.seq - 1) +
                        " are missing: they were removed");
        } else if (!prev.empty() && e.prev != prev) {
          check.problems.push_back("entry " + std::to_string(e.seq) +
                                   " does not follow the entry before it (its prev hash differs): "
                                   "an earlier entry was changed, inserted or removed");
        }
        if (EventHash(e) != e.hash)
          check.problems.push_back("entry " + std::to_string(e.seq) +
                                   " does not match its hash: it was altered");
        if (auto it = anchored.find(e.seq); it != anchored.end()) {
          if (it->second != e.hash)
            check.problems.push_back("entry " + std::to_string(e.seq) +
                                     " does not hold the anchored hash: the trail was rewritten");
          anchored.erase(it);
        }
        expected = e.seq + 1;
        prev = e.hash;
        check.head_seq = e.seq;
        check.head_hash = e.hash;
        return true;
      });
  PM_RETURN_IF_ERROR(st);
  for (const auto& [seq, hash] : anchored)
    check.problems.push_back("anchored entry " + std::to_string(seq) +
                             " is not in the trail: it was removed");
  uint64_t head_seq = 0;
  std::string head_hash = kAuditGenesis;
  if (auto head = store.GetMeta("audit/head")) {
    try {
      auto j = nlohmann::json::parse(*head);
      head_seq = j.at("seq").get<uint64_t>();
      head_hash = j.at("hash").get<std::string>();
    } catch (const std::exception&) {
      check.problems.push_back("the audit head record cannot be decoded: it was altered");
    }
  }
  if (head_seq != check.head_seq || (head_seq > 0 && head_hash != check.head_hash)) {
    check.problems.push_back(head_seq > check.head_seq
                                 ? "the trail ends at entry " + std::to_string(check.head_seq) +
                                       " but its head is entry " + std::to_string(head_seq) +
                                       ": entries at the end were removed"
                                 : "the trail's last entry " + std::to_string(check.head_seq) +
                                       " is not its recorded head (entry " +
                                       std::to_string(head_seq) +
                                       "): entries were added or changed outside the library");
  }
  return check;
}

Status RequireAudited(Store* store, const Principal& p, Permission permission,
                      const std::string& what, const std::string& purpose) {
  PM_RETURN_IF_ERROR(CheckPrincipal(p));
  Status allowed = Require(p, permission, what);
  if (allowed.ok()) return allowed;
  Change change = store->BeginChange(p, purpose.empty() ? what : purpose);
  change.Log("denied", "permission/" + ToString(permission), allowed.message());
  PM_RETURN_IF_ERROR(change.Commit());
  return allowed;
}

Result<AuditCheck> CheckAuditTrail(Store* store, const Principal& auditor,
                                   const std::vector<AuditAnchor>& anchors,
                                   const std::string& purpose) {
  PM_RETURN_IF_ERROR(
      RequireAudited(store, auditor, Permission::kAudit, "verify the audit trail", purpose));
  auto check = VerifyAuditTrail(*store, anchors);
  if (!check.ok()) return check;
  Change change = store->BeginChange(auditor, purpose);
  change.Log("audit_verify", "events",
             std::to_string(check->entries) + " entries, " +
                 std::to_string(check->problems.size()) + " problems");
  PM_RETURN_IF_ERROR(change.Commit());
  return check;
}

Result<std::vector<Event>> ReadAuditTrail(Store* store, const Principal& auditor,
                                          const std::string& purpose, const AuditQuery& query) {
  PM_RETURN_IF_ERROR(
      RequireAudited(store, auditor, Permission::kAudit, "read the audit trail", purpose));
  const std::string person = query.person_id.empty() ? "" : store->PersonPseudonym(query.person_id);
  // The narrowest index answers; the other fields filter.
  std::string prefix;
  if (!person.empty()) {
    prefix = index_keys::AuditByPerson(person);
  } else if (!query.case_id.empty()) {
    prefix = index_keys::AuditByCase(query.case_id);
  } else if (!query.principal.empty()) {
    prefix = index_keys::AuditByPrincipal(query.principal);
  }
  std::vector<Event> out;
  auto keep = [&](const Event& e) {
    if (!person.empty() && e.person != person) return;
    if (!query.case_id.empty() && e.case_id != query.case_id) return;
    if (!query.principal.empty() && e.principal != query.principal) return;
    out.push_back(e);
  };
  if (prefix.empty()) {
    for (const auto& e : store->ListEvents()) keep(e);
  } else {
    // An entry that no longer decodes is left out: `audit verify` reports it.
    for (const auto& [seq, unused] : store->ScanIndex(prefix))
      if (auto e = store->GetEvent(seq); e.ok()) keep(*e);
  }
  Change change = store->BeginChange(auditor, purpose);
  std::string asked;
  if (!query.case_id.empty()) asked += " case " + query.case_id;
  if (!query.person_id.empty()) asked += " person " + MaskPersonId(query.person_id);
  if (!query.principal.empty()) asked += " principal " + query.principal;
  change.Log(
      "audit_read", "events",
      "entries for" + (asked.empty() ? " everything" : asked) + ": " + std::to_string(out.size()),
      {query.case_id, query.person_id});
  PM_RETURN_IF_ERROR(change.Commit());
  return out;
}

}  // namespace postmottak
