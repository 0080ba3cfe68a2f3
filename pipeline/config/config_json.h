// Reading the JSON configuration files (rules, access policy): typed fields whose errors
// name the field's path ("areas.SYK.requires[2]: must be a non-empty string"), so an
// operator finds what to fix. The caller adds the file's name as context.
#ifndef POSTMOTTAK_PIPELINE_CONFIG_CONFIG_JSON_H_
#define POSTMOTTAK_PIPELINE_CONFIG_CONFIG_JSON_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "storage/status.h"

namespace postmottak {

// Appends the strings of `j`, which must be a list of non-empty strings.
Status StringList(const nlohmann::json& j, const std::string& field, std::vector<std::string>* out);
// `object[key]`, which must be a string; `field` is the object's path.
Status RequiredString(const nlohmann::json& object, const char* key, const std::string& field,
                      std::string* out);

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_CONFIG_CONFIG_JSON_H_
