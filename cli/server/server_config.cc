#include "cli/server/server_config.h"

#include <algorithm>
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
    if (key != "threads" && key != "max_body_bytes" && key != "max_upload_bytes" &&
        key != "max_upload_files" && key != "read_timeout_seconds" &&
        key != "write_timeout_seconds" && key != "idle_timeout_seconds" &&
        key != "request_priority")
      return Status::InvalidArgument(where + "." + key + " is not a known field");
  int64_t v = limits->threads;
  PM_RETURN_IF_ERROR(IntField(j, "threads", 1, 256, where, &v));
  limits->threads = static_cast<int>(v);
  PM_RETURN_IF_ERROR(
      IntField(j, "max_body_bytes", 1024, int64_t{1} << 32, where, &limits->max_body_bytes));
  PM_RETURN_IF_ERROR(
      IntField(j, "max_upload_bytes", 1024, int64_t{1} << 36, where, &limits->max_upload_bytes));
  v = limits->max_upload_files;
  PM_RETURN_IF_ERROR(IntField(j, "max_upload_files", 1, 100000, where, &v));
  limits->max_upload_files = static_cast<int>(v);
  if (j.contains("request_priority")) {
    const json& p = j["request_priority"];
    if (p == "idle") {
      limits->request_priority = RequestPriority::kIdle;
    } else if (p == "low") {
      limits->request_priority = RequestPriority::kLow;
    } else if (p == "normal") {
      limits->request_priority = RequestPriority::kNormal;
    } else {
      return Status::InvalidArgument(where +
                                     ".request_priority must be \"idle\", \"low\" or \"normal\"");
    }
  }
  for (auto [name, field] : {std::pair{"read_timeout_seconds", &limits->read_timeout_seconds},
                             std::pair{"write_timeout_seconds", &limits->write_timeout_seconds},
                             std::pair{"idle_timeout_seconds", &limits->idle_timeout_seconds}}) {
    v = *field;
    PM_RETURN_IF_ERROR(IntField(j, name, 1, 600, where, &v));
    *field = static_cast<int>(v);
  }
  return Status::OK();
}

Status StringField(const json& j, const char* name, const std::string& where, std::string* out) {
  if (!j.contains(name)) return Status::OK();
  if (!j[name].is_string() || j[name].get<std::string>().empty())
    return Status::InvalidArgument(where + "." + name + " must be a non-empty string");
  *out = j[name].get<std::string>();
  return Status::OK();
}

Status KnownFields(const json& j, const std::string& where, std::initializer_list<const char*> ok) {
  if (!j.is_object()) return Status::InvalidArgument(where + " must be an object");
  for (const auto& [key, unused] : j.items())
    if (std::none_of(ok.begin(), ok.end(), [&key](const char* k) { return key == k; }))
      return Status::InvalidArgument(where + "." + key + " is not a known field");
  return Status::OK();
}

Status ParseInbox(const json& j, const std::string& source, InboxOptions* inbox) {
  const std::string where = source + ": inbox";
  PM_RETURN_IF_ERROR(
      KnownFields(j, where, {"dir", "principal", "quiet_seconds", "poll_milliseconds"}));
  PM_RETURN_IF_ERROR(StringField(j, "dir", where, &inbox->dir));
  PM_RETURN_IF_ERROR(StringField(j, "principal", where, &inbox->principal));
  int64_t v = inbox->quiet_seconds;
  PM_RETURN_IF_ERROR(IntField(j, "quiet_seconds", 1, 86400, where, &v));
  inbox->quiet_seconds = static_cast<int>(v);
  v = inbox->poll_milliseconds;
  PM_RETURN_IF_ERROR(IntField(j, "poll_milliseconds", 50, 60000, where, &v));
  inbox->poll_milliseconds = static_cast<int>(v);
  return Status::OK();
}

Status ParseTls(const json& j, const std::string& source, ServerConfig* config) {
  const std::string where = source + ": tls";
  PM_RETURN_IF_ERROR(KnownFields(j, where, {"certificate", "key"}));
  PM_RETURN_IF_ERROR(StringField(j, "certificate", where, &config->tls_certificate));
  PM_RETURN_IF_ERROR(StringField(j, "key", where, &config->tls_key));
  if (config->tls_certificate.empty() || config->tls_key.empty())
    return Status::InvalidArgument(where + " needs both certificate and key");
  return Status::OK();
}

Status ParseVendor(const json& j, const std::string& source, ServerConfig* config) {
  const std::string where = source + ": vendor";
  PM_RETURN_IF_ERROR(KnownFields(j, where, {"key", "passphrase_file"}));
  PM_RETURN_IF_ERROR(StringField(j, "key", where, &config->vendor_key_file));
  PM_RETURN_IF_ERROR(StringField(j, "passphrase_file", where, &config->vendor_passphrase_file));
  if (config->vendor_key_file.empty()) return Status::InvalidArgument(where + " needs a key");
  return Status::OK();
}

bool IsLoopback(const std::string& host) { return host == "127.0.0.1" || host == "::1"; }

}  // namespace

Status CheckExposure(const ServerConfig& config) {
  if (IsLoopback(config.host) || !config.tls_certificate.empty() ||
      config.plain_http_beyond_loopback)
    return Status::OK();
  return Status::InvalidArgument(
      "listening on " + config.host +
      " needs TLS (\"tls\" in the configuration): plain HTTP is served on loopback only");
}

Status ParseListen(const std::string& listen, ServerConfig* config) {
  static const std::regex re(R"(([A-Za-z0-9.:\-\[\]]+):([0-9]{1,5}))");
  std::smatch m;
  if (!std::regex_match(listen, m, re) || std::stoi(m[2]) > 65535)
    return Status::InvalidArgument("--listen '" + listen + "' is not HOST:PORT");
  std::string host = m[1];
  if (host == "localhost") host = "127.0.0.1";
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  config->host = host;
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
    } else if (key == "inbox") {
      PM_RETURN_IF_ERROR(ParseInbox(value, path, &config.inbox));
    } else if (key == "tls") {
      PM_RETURN_IF_ERROR(ParseTls(value, path, &config));
    } else if (key == "vendor") {
      PM_RETURN_IF_ERROR(ParseVendor(value, path, &config));
    } else if (key == "plain_http_beyond_loopback") {
      if (!value.is_boolean())
        return Status::InvalidArgument(path + ": plain_http_beyond_loopback must be true or false");
      config.plain_http_beyond_loopback = value.get<bool>();
    } else {
      return Status::InvalidArgument(path + ": " + key + " is not a known field");
    }
  }
  // Exposure is checked by the caller, after --listen may have overridden the file.
  return config;
}

}  // namespace postmottak
