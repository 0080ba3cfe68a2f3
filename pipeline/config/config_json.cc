#include "pipeline/config/config_json.h"

namespace postmottak {

Status StringList(const nlohmann::json& j, const std::string& field,
                  std::vector<std::string>* out) {
  if (!j.is_array()) return Status::InvalidArgument(field + ": must be a list of strings");
  for (size_t i = 0; i < j.size(); ++i) {
    if (!j[i].is_string() || j[i].get<std::string>().empty())
      return Status::InvalidArgument(field + "[" + std::to_string(i) +
                                     "]: must be a non-empty string");
    out->push_back(j[i].get<std::string>());
  }
  return Status::OK();
}

Status RequiredString(const nlohmann::json& object, const char* key, const std::string& field,
                      std::string* out) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string())
    return Status::InvalidArgument(field + "." + key + ": must be a string");
  *out = it->get<std::string>();
  return Status::OK();
}

}  // namespace postmottak
