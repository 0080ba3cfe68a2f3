#include "cli/context.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "pipeline/services/session_rep.h"

namespace postmottak {

std::string DefaultDataFile(const std::string& name, const std::string& built_in) {
  namespace fs = std::filesystem;
  if (const char* dir = std::getenv("POSTMOTTAK_DATA_DIR")) return (fs::path(dir) / name).string();
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = exe.parent_path().parent_path() / "share" / "postmottak" / name;
    if (fs::exists(installed, ec)) return installed.string();
  }
  return built_in;
}

Status OpenContext(const std::string& command, Context* ctx) {
  const Globals& g = ctx->g;
  if (ctx->g.purpose.empty()) ctx->g.purpose = command;
  if (g.db.empty()) return Status::InvalidArgument("--db is required: the store to work on");
  if (g.principal.empty())
    return Status::PermissionDenied(
        "no principal: every command acts for one (--principal ID or $POSTMOTTAK_PRINCIPAL)");
  OfficeOptions options = g.office;
  options.store_dir = g.db;
  options.rules_file = g.rules_path;
  options.policy_file = g.policy_path;
  // Reads go on while a server or an intake holds the store; writes are refused then.
  options.read_beside_writer = true;
  auto office = Office::Open(options);
  if (!office.ok()) return office.status();
  ctx->office = std::move(office).value();
  if (ctx->office->reader())
    std::cerr << "postmottak: " << g.db
              << " is held by another process; reading what it has committed so far\n";
  ctx->rules = &OfficeAccess::RulesOf(*ctx->office);
  auto session = ctx->office->Begin(g.principal, ctx->g.purpose);
  if (!session.ok()) return session.status();
  ctx->session.emplace(std::move(session).value());
  if (g.unmask) PM_RETURN_IF_ERROR(ctx->session->Unmask());
  return Status::OK();
}

int ExitCodeOf(const Status& s) {
  switch (s.code()) {
    case Status::Code::kOk:
      return 0;
    case Status::Code::kNotFound:
      return 3;
    case Status::Code::kInvalidArgument:
    case Status::Code::kAlreadyExists:
    case Status::Code::kFailedPrecondition:
    case Status::Code::kUnsupported:
      return 2;
    case Status::Code::kPermissionDenied:
    case Status::Code::kUnauthenticated:
      return 6;
    default:
      return 1;
  }
}

int Fail(const Status& s) {
  std::cerr << "postmottak: " << s.message() << "\n";
  return ExitCodeOf(s);
}

Status WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary);
  f << bytes;
  f.close();
  return f ? Status::OK() : Status::IOError("cannot write " + path);
}

std::string Padded(const std::string& s, size_t width) {
  // Width in characters, counting UTF-8 continuation bytes out.
  size_t chars = 0;
  for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
  return s + std::string(width > chars ? width - chars : 1, ' ');
}

Progress::Progress(bool enabled) : enabled_(enabled && isatty(STDERR_FILENO)) {}

void Progress::Show(int done, int total, const char* unit) {
  if (!enabled_) return;
  const int width = 30;
  const int filled = total > 0 ? std::min(width, done * width / total) : 0;
  std::fprintf(stderr, "\r[%s%s] %d/%d %s", std::string(filled, '#').c_str(),
               std::string(width - filled, '.').c_str(), done, total, unit);
  std::fflush(stderr);
}

void Progress::Finish() {
  if (enabled_) std::fprintf(stderr, "\r%70s\r", "");
  enabled_ = false;
}

}  // namespace postmottak
