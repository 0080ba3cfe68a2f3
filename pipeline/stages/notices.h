// Notices: a change notice journaled on one case reaches the person's other cases.
//
// A marriage changes child benefit, single-parent benefit and the child-support
// advance; a death or a move changes nearly everything. When a document whose type the
// rules list as a change notice (DocumentTypeRule::notify) is linked to a case, every
// other open case of the same person in an area the type names gets a notice task in
// its own unit's queue, so that its caseworker looks, instead of the paper reaching one
// benefit only.
//
// Within one domain (state or municipal) the notice names the document and its type,
// and need to know follows the notice: whoever may see the notified case may read that
// document (CaseService::JudgeDocument). Across the divide a notice says only that a
// document that may matter has arrived and which unit to ask: no document id, no type,
// no case of the other side.
//
// A notice's id is derived from the notified case and the document, so linking the same
// document again, or to a further case, raises nothing twice.
#ifndef POSTMOTTAK_PIPELINE_STAGES_NOTICES_H_
#define POSTMOTTAK_PIPELINE_STAGES_NOTICES_H_

#include <functional>
#include <string>

#include "pipeline/config/rules.h"
#include "storage/store.h"

namespace postmottak {

// Whether two benefit areas are on the same side of the state/municipal divide; the
// access policy knows (Policy::DomainOf). Empty: every area is on one side.
using SameDomain = std::function<bool(const std::string& area_a, const std::string& area_b)>;

std::string NoticeTaskId(const std::string& case_id, const std::string& document_id);

// Raises the notices of document `d`, which is now linked to case `on`, in `change`.
// Returns how many it raised: none when the type is no change notice.
Result<int> RaiseNotices(Change& change, const Rules& rules, const SameDomain& same_domain,
                         const Document& d, const Case& on);

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_STAGES_NOTICES_H_
