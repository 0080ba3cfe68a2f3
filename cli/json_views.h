// How the records print as JSON on the command line (`--json`). Person ids come from
// the case service masked, unless --unmask was allowed.
#ifndef POSTMOTTAK_CLI_JSON_VIEWS_H_
#define POSTMOTTAK_CLI_JSON_VIEWS_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "storage/records.h"

namespace postmottak {

nlohmann::json CaseJson(const Case& c);
// A document's identity, link and custody, without its text.
nlohmann::json DocumentSummary(const Document& d);
// The whole document record.
nlohmann::json DocumentJson(const Document& d);
nlohmann::json TaskJson(const Task& t);
// "a,b,,c" -> {"a", "b", "c"}: the command line's comma-separated lists.
std::vector<std::string> SplitList(const std::string& s);

}  // namespace postmottak

#endif  // POSTMOTTAK_CLI_JSON_VIEWS_H_
