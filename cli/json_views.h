// How the public records (postmottak/records.h) print as JSON on the command line
// (`--json`). Person ids come from the session masked, unless --unmask was allowed.
#ifndef POSTMOTTAK_CLI_JSON_VIEWS_H_
#define POSTMOTTAK_CLI_JSON_VIEWS_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "postmottak/records.h"

namespace postmottak {

// The case alone, without checklist, documents and tasks.
nlohmann::json CaseJson(const CaseRecord& c);
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
// "a,b,,c" -> {"a", "b", "c"}: the command line's comma-separated lists.
std::vector<std::string> SplitList(const std::string& s);

}  // namespace postmottak

#endif  // POSTMOTTAK_CLI_JSON_VIEWS_H_
