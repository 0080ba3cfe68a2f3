#include "cli/server/server_config.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

namespace postmottak {

namespace {

using nlohmann::json;

Status IntField(const json& j, const char* name, int64_t lo, int64_t hi, const std::string& where,
                int64_t* out) {
  if (!j.contains(name)) return Status::OK();
  if (!j[name].is_number_integer() || j[name].get<int64_t>() < lo || j[name].get<int64_t>() > hi)
    return Status::InvalidArgument(where + "." + name + " must be a whole number from " +
                                   std::to_string(lo) + " to " + std::to_string(hi));
  *out = j[name].get<int64_t>();
  return Status::OK();
}

Status ParseLimits(const json& j, const std::string& source, ServerLimits* limits) {
  const std::string where = source + ": limits";
  if (!j.is_object()) return Status::InvalidArgument(where + " must be an object");
  for (const auto& [key, unused] : j.items())
    if (key != "threads" && key != "max_body_bytes" && key != "read_timeout_seconds" &&
        key != "write_timeout_seconds" && key != "idle_timeout_seconds")
      return Status::InvalidArgument(where + "." + key + " is not a known field");
  int64_t v = limits->threads;
  PM_RETURN_IF_ERROR(IntField(j, "threads", 1, 256, where, &v));
  limits->threads = static_cast<int>(v);
  PM_RETURN_IF_ERROR(
      IntField(j, "max_body_bytes", 1024, int64_t{1} << 32, where, &limits->max_body_bytes));
  for (auto [name, field] : {std::pair{"read_timeout_seconds", &limits->read_timeout_seconds},
                             std::pair{"write_timeout_seconds", &limits->write_timeout_seconds},
                             std::pair{"idle_timeout_seconds", &limits->idle_timeout_seconds}}) {
    v = *field;
    PM_RETURN_IF_ERROR(IntField(j, name, 1, 600, where, &v));
    *field = static_cast<int>(v);
  }
  return Status::OK();
}

}  // namespace

Status ParseListen(const std::string& listen, ServerConfig* config) {
  static const std::regex re(R"(([A-Za-z0-9.:\-\[\]]+):([0-9]{1,5}))");
  std::smatch m;
  if (!std::regex_match(listen, m, re) || std::stoi(m[2]) > 65535)
    return Status::InvalidArgument("--listen '" + listen + "' is not HOST:PORT");
  const std::string host = m[1];
  if (host != "127.0.0.1" && host != "localhost" && host != "[::1]" && host != "::1")
    return Status::InvalidArgument("--listen " + listen +
                                   ": plain HTTP is served on loopback only (127.0.0.1, ::1)");
  config->host = host == "localhost" ? "127.0.0.1" : host;
  config->port = std::stoi(m[2]);
  return Status::OK();
}

Result<ServerConfig> LoadServerConfig(const std::string& path) {
  ServerConfig config;
  if (path.empty()) return config;
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  const json j = json::parse(text.str(), nullptr, false);
  if (!in || j.is_discarded() || !j.is_object())
    return Status::InvalidArgument("server configuration " + path + " is not a JSON object");
  for (const auto& [key, value] : j.items()) {
    if (key == "listen") {
      if (!value.is_string()) return Status::InvalidArgument(path + ": listen must be a string");
      PM_RETURN_IF_ERROR(ParseListen(value.get<std::string>(), &config));
    } else if (key == "tokens") {
      auto tokens = ParseTokenConfig(value, path);
      if (!tokens.ok()) return tokens.status();
      config.tokens = std::move(tokens).value();
    } else if (key == "limits") {
      PM_RETURN_IF_ERROR(ParseLimits(value, path, &config.limits));
    } else {
      return Status::InvalidArgument(path + ": " + key + " is not a known field");
    }
  }
  return config;
}

}  // namespace postmottak
