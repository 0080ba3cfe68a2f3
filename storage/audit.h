// The audit trail: every read and write of case data, hash-chained so that a changed,
// inserted or removed entry is found (`postmottak audit verify`).
//
// Entries live in the `events` column family under their 20-digit sequence number,
// from 1 without gaps. Entry n's `prev` is entry n-1's `hash` (64 zeros for entry 1),
// and its `hash` is the SHA-256 of its canonical JSON without the hash field. The meta
// key "audit/head" holds the last entry's sequence number and hash, written in the same
// atomic batch as the entry. So:
//   * an entry changed in place no longer matches its hash;
//   * a changed entry given a fresh hash no longer matches the next entry's `prev`;
//   * a removed entry leaves a gap in the sequence;
//   * entries removed from the end no longer reach the head.
// Someone who can write the store could still recompute the whole chain from the
// point they changed. Against that, copy the head (`audit verify` prints it) to a place
// they cannot write, such as the archive's daily report, and pass it back as an anchor:
// a rewritten chain no longer holds the anchored hash.
#ifndef POSTMOTTAK_STORAGE_AUDIT_H_
#define POSTMOTTAK_STORAGE_AUDIT_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "postmottak/reports.h"
#include "storage/principal.h"
#include "storage/records.h"
#include "storage/status.h"

namespace postmottak {

class Store;

// `prev` of the first entry.
extern const char kAuditGenesis[];

// The SHA-256 (hex) of the entry's canonical JSON, all fields but `hash`.
std::string EventHash(const Event& e);

// An entry's hash recorded outside the store, "SEQ:HASH".
struct AuditAnchor {
  uint64_t seq = 0;
  std::string hash;
};
Result<AuditAnchor> ParseAuditAnchor(const std::string& text);

// Walks the whole trail and checks the chain, the head and the anchors. The problems
// found are the result; a Status only when the store cannot be read. `each`, if given,
// sees every entry that decodes (verify derives the audit index from them on the way).
Result<AuditCheck> VerifyAuditTrail(const Store& store, const std::vector<AuditAnchor>& anchors,
                                    const std::function<void(const Event&)>& each = {});

// The same for an auditor: needs the `audit` permission, and is itself audited.
Result<AuditCheck> CheckAuditTrail(Store* store, const Principal& auditor,
                                   const std::vector<AuditAnchor>& anchors,
                                   const std::string& purpose = "audit verify");

// Require (storage/principal.h), with a refusal written to the audit trail: a "denied"
// entry by `p` about "permission/<name>", its detail the reason, under `purpose`. Every
// entry point that checks a role calls this, so a refusal is as visible as an access. A
// principal that cannot act at all (no valid id or unit) cannot be recorded as anyone:
// that refusal comes back alone.
Status RequireAudited(Store* store, const Principal& p, Permission permission,
                      const std::string& what, const std::string& purpose);

// The entries matching every field of `query` given (all when none), oldest first, for a principal
// with `audit`. The reading is audited too (an auditor's reads are as visible as anyone's),
// concerning the person or case asked about.
Result<std::vector<Event>> ReadAuditTrail(Store* store, const Principal& auditor,
                                          const std::string& purpose, const AuditQuery& query);

}  // namespace postmottak

#endif  // POSTMOTTAK_STORAGE_AUDIT_H_
