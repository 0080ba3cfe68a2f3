#include "cli/context.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>

namespace postmottak {

Status OpenContext(const Globals& g, const std::string& command, Context* ctx) {
  ctx->g = g;
  if (ctx->g.purpose.empty()) ctx->g.purpose = command;
  if (g.db.empty()) return Status::InvalidArgument("--db is required: the store to work on");
  if (g.principal.empty())
    return Status::PermissionDenied(
        "no principal: every command acts for one (--principal ID or $POSTMOTTAK_PRINCIPAL)");
  auto rules = Rules::Load(g.rules_path);
  if (!rules.ok()) return rules.status();
  ctx->rules = std::move(rules).value();
  auto policy = Policy::Load(g.policy_path);
  if (!policy.ok()) return policy.status();
  ctx->policy = std::move(policy).value();
  auto principal = ctx->policy.Resolve(g.principal);
  if (!principal.ok()) return principal.status();
  ctx->principal = std::move(principal).value();
  auto store = Store::Open(g.db);
  if (!store.ok()) return store.status();
  ctx->store = std::move(store).value();
  if (g.unmask) {
    // Refused for every command alike, and on the trail; an allowed unmasking is
    // recorded by the case service that does it.
    Status allowed = Require(ctx->principal, Permission::kUnmask, "see person ids unmasked");
    if (!allowed.ok()) {
      Change change = ctx->store->BeginChange(ctx->principal, ctx->g.purpose);
      change.Log("denied", "person_ids", allowed.message());
      PM_RETURN_IF_ERROR(change.Commit());
      return allowed;
    }
  }
  return Status::OK();
}

Result<std::unique_ptr<CaseService>> OpenCaseService(Context& ctx) {
  auto service = std::make_unique<CaseService>(ctx.store.get(), &ctx.rules, &ctx.policy,
                                               ctx.principal, ctx.g.purpose);
  if (ctx.g.unmask) PM_RETURN_IF_ERROR(service->Unmask());
  return service;
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
      return 6;
    default:
      return 1;
  }
}

int Fail(const Status& s) {
  std::cerr << "postmottak: " << s.message() << "\n";
  return ExitCodeOf(s);
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
