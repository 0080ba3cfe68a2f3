// How the public records (postmottak/records.h) print as JSON on the command line
// (`--json`) and in the server's API. Person ids come from the session masked, unless --unmask was
// allowed.
#ifndef POSTMOTTAK_CLI_JSON_VIEWS_H_
#define POSTMOTTAK_CLI_JSON_VIEWS_H_

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "postmottak/records.h"
#include "postmottak/reports.h"

namespace postmottak {
class Rules;
}

namespace postmottak {

// The case alone, without checklist, documents and tasks.
nlohmann::json CaseJson(const CaseRecord& c);
// The case with its checklist (titles by `title_of`), what is missing, documents,
// tasks, unit history and letters: `case show --json` and the API's case.
nlohmann::json CaseDetailJson(const CaseRecord& c,
                              const std::function<std::string(const std::string&)>& title_of);
// A document's identity, link and custody, without its text.
nlohmann::json DocumentSummary(const DocumentRecord& d);
// The whole document record.
nlohmann::json DocumentJson(const DocumentRecord& d);
nlohmann::json TaskJson(const TaskRecord& t);
nlohmann::json HandoverJson(const HandoverRecord& h);
nlohmann::json LetterJson(const LetterRecord& l);
nlohmann::json QuarantineJson(const QuarantineRecord& q);
nlohmann::json GrantJson(const GrantRecord& g);
nlohmann::json AuditEntryJson(const AuditEntryRecord& e);
nlohmann::json TimelineEntryJson(const TimelineEntry& e);
// The status view of one case: where it is and what it waits for, no content.
nlohmann::json CaseStatusJson(const CaseStatusRecord& r);
// The period per unit and area, and each unit's desk (`stats --json`, the API's).
nlohmann::json StatisticsJson(const StatisticsReport& r);
nlohmann::json BatchJson(const BatchRecord& b);
// Every page's account, what is missing and the manifest's problems.
nlohmann::json ReconciliationJson(const Reconciliation& r);
nlohmann::json AuditCheckJson(const AuditCheck& c, size_t anchors);
nlohmann::json FollowUpJson(const FollowUpReport& r);
nlohmann::json CoverSheetJson(const CoverSheetRecord& c);
// A document type's title for people to read ("Legeerklæring"); empty for a type the
// rules do not name ("unknown"), which a page shows in words of its own.
std::string DocumentTitle(const Rules& rules, const std::string& type);
// Manual journaling's suggestion, with the rules' names for types, areas and units.
nlohmann::json LinkSuggestionJson(const LinkSuggestion& s, const Rules& rules);
// "a,b,,c" -> {"a", "b", "c"}: the command line's comma-separated lists.
std::vector<std::string> SplitList(const std::string& s);

}  // namespace postmottak

#endif  // POSTMOTTAK_CLI_JSON_VIEWS_H_
