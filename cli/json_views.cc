#include "cli/json_views.h"

#include <sstream>

namespace postmottak {

using nlohmann::json;

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

json CaseJson(const Case& c) { return c; }

json DocumentSummary(const Document& d) {
  return {{"id", d.id},
          {"type", d.type},
          {"case_id", d.case_id},
          {"linked_by", d.linked_by == LinkMethod::kNone ? "" : ToString(d.linked_by)},
          {"link_evidence", d.link_evidence},
          {"source", {{"file", d.source_file}, {"pages", d.source_pages}}},
          {"batch", d.batch},
          {"received_at", d.received_at}};
}

json DocumentJson(const Document& d) {
  json j = d;
  j["linked_by"] = d.linked_by == LinkMethod::kNone ? "" : ToString(d.linked_by);
  return j;
}

json TaskJson(const Task& t) { return t; }

}  // namespace postmottak
