#include "cli/privacy.h"

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/json_views.h"

namespace postmottak {

namespace {

using nlohmann::json;

// Exit code when `audit verify` finds the chain broken (commands.h).
constexpr int kProblems = 5;

void PrintGrant(const GrantRecord& g) {
  std::cout << "  " << Padded(g.id, 10) << Padded(g.case_id, 14) << Padded(g.principal, 22)
            << "until " << g.expires
            << (g.revoked_at.empty() ? "" : "  revoked " + g.revoked_at + " by " + g.revoked_by)
            << "\n      " << g.purpose << " (granted by " << g.granted_by << ")\n";
}

int GrantAdd(Context& ctx, const std::string& case_id, const std::string& to,
             const std::string& purpose, const std::string& expires) {
  auto g = ctx.s().GrantAccess(case_id, to, purpose, expires);
  if (!g.ok()) return Fail(g.status());
  if (ctx.g.json) {
    std::cout << GrantJson(*g).dump(2) << "\n";
  } else {
    std::cout << "Granted " << g->id << ": " << to << " may see case " << case_id << " until "
              << g->expires << "\n";
  }
  return 0;
}

int GrantList(Context& ctx, const std::string& case_id) {
  auto grants = ctx.s().Grants(case_id);
  if (!grants.ok()) return Fail(grants.status());
  if (ctx.g.json) {
    json out = json::array();
    for (const auto& g : *grants) out.push_back(GrantJson(g));
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::cout << "Grants: " << grants->size() << "\n";
  for (const auto& g : *grants) PrintGrant(g);
  return 0;
}

int GrantRevoke(Context& ctx, const std::string& id) {
  auto g = ctx.s().RevokeGrant(id);
  if (!g.ok()) return Fail(g.status());
  if (ctx.g.json) {
    std::cout << GrantJson(*g).dump(2) << "\n";
  } else {
    std::cout << "Revoked " << id << ": " << g->principal << " no longer sees case " << g->case_id
              << "\n";
  }
  return 0;
}

int AuditVerify(Context& ctx, const std::vector<std::string>& anchors) {
  auto check = ctx.s().VerifyAuditTrail(anchors);
  if (!check.ok()) return Fail(check.status());
  if (ctx.g.json) {
    std::cout << AuditCheckJson(*check, anchors.size()).dump(2) << "\n";
    return check->ok() ? 0 : kProblems;
  }
  std::cout << "Audit trail: " << check->entries << " entries checked";
  if (!anchors.empty()) std::cout << ", " << anchors.size() << " anchors";
  std::cout
      << "\nHead: " << check->head_seq << ":" << check->head_hash
      << "\n  (keep this line outside the store; `audit verify --anchor` checks against it)\n";
  for (const auto& p : check->problems) std::cout << "  BROKEN: " << p << "\n";
  std::cout << (check->ok() ? "The chain is intact.\n"
                            : "The audit trail has been tampered with.\n");
  return check->ok() ? 0 : kProblems;
}

int AuditShow(Context& ctx, const AuditQuery& query) {
  auto entries = ctx.s().AuditTrail(query);
  if (!entries.ok()) return Fail(entries.status());
  if (ctx.g.json) {
    json out = json::array();
    for (const auto& e : *entries) out.push_back(AuditEntryJson(e));
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::cout << "Audit entries: " << entries->size() << "\n";
  for (const auto& e : *entries)
    std::cout << "  " << Padded(std::to_string(e.seq), 7) << e.time << "  "
              << Padded(e.principal, 22) << Padded(e.action, 18) << Padded(e.object, 36)
              << (e.case_id.empty() ? "" : "case " + e.case_id + "  ") << e.purpose
              << (e.detail.empty() ? "" : " | " + e.detail) << "\n";
  return 0;
}

int RetentionRun(Context& ctx, bool dry_run) {
  auto r = ctx.s().Retention(dry_run);
  if (!r.ok()) return Fail(r.status());
  if (ctx.g.json) {
    json deleted = json::array();
    for (const auto& t : r->deleted) {
      json documents = json::array();
      for (const auto& d : t.documents)
        documents.push_back({{"id", d.id}, {"type", d.type}, {"pages", d.pages}});
      deleted.push_back({{"id", t.id},
                         {"area", t.area},
                         {"unit", t.unit},
                         {"closed_at", t.closed_at},
                         {"retention_days", t.retention_days},
                         {"documents", documents},
                         {"cover_sheets", t.cover_sheets},
                         {"tasks", t.tasks},
                         {"bytes", t.bytes}});
    }
    std::cout << json{{"dry_run", dry_run},          {"cases_examined", r->cases_examined},
                      {"cases_kept", r->cases_kept}, {"documents", r->documents},
                      {"pages", r->pages},           {"bytes", r->bytes},
                      {"deleted", deleted}}
                     .dump(2)
              << "\n";
    return 0;
  }
  std::cout << (dry_run ? "Retention (dry run, nothing deleted): " : "Retention: ")
            << r->cases_examined << " closed cases examined, " << r->deleted.size()
            << (dry_run ? " past their period" : " deleted") << ", " << r->cases_kept << " kept\n";
  for (const auto& t : r->deleted) {
    std::cout << "  case " << Padded(t.id, 14) << Padded(t.area, 5) << "closed " << t.closed_at
              << ", period " << t.retention_days << " days: " << t.documents.size()
              << " documents, " << t.cover_sheets << " cover sheets, " << t.tasks << " tasks\n";
    for (const auto& d : t.documents)
      std::cout << "      " << d.id << "  " << Padded(d.type, 22) << d.pages << " pages\n";
  }
  std::cout << "  Documents: " << r->documents << ", pages: " << r->pages << ", " << r->bytes / 1024
            << " KiB of images and PDFs"
            << (dry_run ? " would go" : " deleted; tombstones and the audit trail kept") << "\n";
  return 0;
}

}  // namespace

void AddPrivacyCommands(CLI::App& app, Context& ctx, const Runner& run) {
  struct Options {
    std::string case_id, to, purpose, expires, id;
    std::vector<std::string> anchors;
    AuditQuery query;
    bool dry_run = false;
  };
  auto o = std::make_shared<Options>();

  auto* grant = app.add_subcommand("grant", "access to one case beyond need to know, audited")
                    ->require_subcommand(1);
  auto* add =
      grant->add_subcommand("add", "let a principal see a case, for a purpose, until a day");
  add->add_option("--case", o->case_id, "the case")->required();
  add->add_option("--to", o->to, "the principal")->required();
  add->add_option("--for", o->purpose, "the purpose")->required();
  add->add_option("--expires", o->expires, "last day, YYYY-MM-DD (a year at most)")->required();
  add->callback(
      run([&ctx, o] { return GrantAdd(ctx, o->case_id, o->to, o->purpose, o->expires); }));
  auto* list = grant->add_subcommand("list", "grants, of one case or all");
  list->add_option("--case", o->case_id, "only this case");
  list->callback(run([&ctx, o] { return GrantList(ctx, o->case_id); }));
  auto* revoke = grant->add_subcommand("revoke", "end a grant now");
  revoke->add_option("id", o->id)->required();
  revoke->callback(run([&ctx, o] { return GrantRevoke(ctx, o->id); }));

  auto* audit = app.add_subcommand("audit", "the audit trail: who read or wrote what, and why")
                    ->require_subcommand(1);
  auto* verify = audit->add_subcommand(
      "verify", "check the hash chain; exit 5 when an entry was changed or removed");
  verify->add_option("--anchor", o->anchors,
                     "SEQ:HASH of an earlier head, kept outside the store (repeatable)");
  verify->callback(run([&ctx, o] { return AuditVerify(ctx, o->anchors); }));
  auto* show = audit->add_subcommand("show", "entries by case, person or principal");
  show->add_option("--case", o->query.case_id, "entries about this case");
  show->add_option("--person", o->query.person_id,
                   "entries about this person (their right to know who saw their data)");
  show->add_option("--principal", o->query.principal, "entries by this principal");
  show->callback(run([&ctx, o] { return AuditShow(ctx, o->query); }));

  auto* retention = app.add_subcommand("retention", "delete what passed its retention period")
                        ->require_subcommand(1);
  auto* rrun = retention->add_subcommand(
      "run", "delete the documents and images of closed cases past their period");
  rrun->add_flag("--dry-run", o->dry_run, "report only");
  rrun->callback(run([&ctx, o] { return RetentionRun(ctx, o->dry_run); }));
}

}  // namespace postmottak
