#include "pipeline/stages/notices.h"

#include <algorithm>

#include "codecs/sha256.h"
#include "storage/index_keys.h"

namespace postmottak {

std::string NoticeTaskId(const std::string& case_id, const std::string& document_id) {
  // The document id is hashed: a notice across the divide must not carry it.
  return "notice-" + case_id + "-" + Sha256Hex(document_id).substr(0, 12);
}

namespace {

bool Names(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::string UnitLabel(const Rules& rules, const std::string& unit) {
  const UnitRule* u = rules.Unit(unit);
  return "unit " + unit + (u ? " (" + u->name + ")" : "");
}

// The notice for case `to`; `open` tells whether it may name the document.
Task NoticeFor(const Rules& rules, const Document& d, const Case& on, const Case& to, bool open) {
  Task t;
  t.id = NoticeTaskId(to.id, d.id);
  t.kind = TaskKind::kNotice;
  t.case_id = to.id;
  t.unit = to.unit;
  t.created_at = NowUtc();
  if (open) {
    t.document_id = d.id;
    t.document_type = d.type;
    t.reason = rules.TitleOf(d.type) + " (document " + d.id + ") arrived on case " + on.id + " (" +
               on.area + ", " + UnitLabel(rules, on.unit) + "): see whether it changes this case";
  } else {
    t.reason =
        "a document that may change this case has arrived on the other side of the "
        "state/municipal divide; ask " +
        UnitLabel(rules, on.unit);
  }
  return t;
}

}  // namespace

Result<int> RaiseNotices(Change& change, const Rules& rules, const SameDomain& same_domain,
                         const Document& d, const Case& on) {
  const DocumentTypeRule* type = rules.DocumentType(d.type);
  if (!type || type->notify.empty()) return 0;
  int raised = 0;
  for (const auto& [case_id, unused] : change.ScanIndex(index_keys::PersonCases(on.person_id))) {
    if (case_id == d.case_id || Names(d.also_cases, case_id)) continue;  // it has the document
    auto other = change.Get<Case>(case_id);
    if (!other.ok()) return other.status();
    if (other->status == CaseStatus::kClosed || !Names(type->notify, other->area)) continue;
    const std::string id = NoticeTaskId(other->id, d.id);
    if (change.Get<Task>(id).ok()) continue;  // noticed before
    const bool open = !same_domain || same_domain(on.area, other->area);
    Task t = NoticeFor(rules, d, on, *other, open);
    change.Put(t);
    change.Log("raise_notice", "task/" + t.id,
               open ? rules.TitleOf(d.type) + " " + d.id + " on case " + on.id
                    : "from " + UnitLabel(rules, on.unit) + ", across the divide",
               {other->id, other->person_id});
    ++raised;
  }
  return raised;
}

}  // namespace postmottak
