#include "cli/cases.h"

#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/json_views.h"
#include "pipeline/services/case_service.h"
#include "pipeline/stages/completeness.h"
#include "pipeline/stages/cover_sheet.h"

namespace postmottak {

namespace {

using nlohmann::json;

int CaseAdd(Context& ctx, NewCase nc, const std::string& requires_list) {
  nc.required = SplitList(requires_list);
  auto service = OpenCaseService(ctx);
  if (!service.ok()) return Fail(service.status());
  auto c = (*service)->AddCase(nc);
  if (!c.ok()) return Fail(c.status());
  if (ctx.g.json) {
    std::cout << CaseJson(*c).dump(2) << "\n";
  } else {
    std::cout << "Case " << c->id << " registered: " << c->area << ", unit " << c->unit << ", "
              << ToString(c->status) << "\n";
  }
  return 0;
}

int CaseClose(Context& ctx, const std::string& id) {
  auto service = OpenCaseService(ctx);
  if (!service.ok()) return Fail(service.status());
  auto c = (*service)->CloseCase(id);
  if (!c.ok()) return Fail(c.status());
  if (ctx.g.json) {
    std::cout << CaseJson(*c).dump(2) << "\n";
  } else {
    const int days = ctx.policy.RetentionDays(c->area);
    std::cout << "Case " << c->id << " closed at " << c->closed_at << "; "
              << (days < 0 ? "kept for good (no retention period for " + c->area + ")"
                           : "its documents are kept " + std::to_string(days) + " days")
              << "\n";
  }
  return 0;
}

int CaseShow(Context& ctx, const std::string& id) {
  auto service = OpenCaseService(ctx);
  if (!service.ok()) return Fail(service.status());
  auto view = (*service)->ReadCase(id);
  if (!view.ok()) return Fail(view.status());
  const Case* c = &view->c;
  const Checklist& list = view->checklist;
  const std::vector<Document>& docs = view->documents;
  const std::vector<Task>& tasks = view->tasks;

  if (ctx.g.json) {
    json checklist = json::array();
    for (const auto& item : list.items)
      checklist.push_back({{"type", item.type},
                           {"title", ctx.rules.TitleOf(item.type)},
                           {"received", !item.documents.empty()},
                           {"documents", item.documents}});
    json jd = json::array(), jt = json::array();
    for (const auto& d : docs) jd.push_back(DocumentSummary(d));
    for (const auto& t : tasks) jt.push_back(TaskJson(t));
    std::cout << json{{"case", CaseJson(*c)},    {"access", view->basis}, {"checklist", checklist},
                      {"missing", list.missing}, {"documents", jd},       {"tasks", jt}}
                     .dump(2)
              << "\n";
    return 0;
  }
  std::cout << "Case " << c->id << "  " << c->area << "  unit " << c->unit << "  "
            << ToString(c->status) << "\n"
            << "Person: " << c->person_name << " (" << c->person_id << ")\n"
            << "Access: " << view->basis << "\n";
  if (!c->due.empty()) std::cout << "Due: " << c->due << "\n";
  std::cout << "\nChecklist:\n";
  for (const auto& item : list.items) {
    std::string awaited;
    for (const auto& t : tasks)
      if (t.kind == TaskKind::kMissingDocumentation && t.document_type == item.type &&
          t.status == TaskStatus::kOpen)
        awaited = ", awaited from " + t.awaited_from;
    std::cout << "  [" << (item.documents.empty() ? " " : "x") << "] "
              << ctx.rules.TitleOf(item.type)
              << (item.documents.empty() ? "  (missing" + awaited + ")" : "") << "\n";
  }
  std::cout << "\nDocuments (" << docs.size() << "):\n";
  for (const auto& d : docs) {
    const std::string pages = JoinPages(d.source_pages);
    std::cout << "  " << d.id << "  " << Padded(d.type, 22) << Padded(ToString(d.linked_by), 12)
              << d.source_file << " p." << pages << "\n";
  }
  std::cout << "\nTasks (" << tasks.size() << "):\n";
  for (const auto& t : tasks)
    std::cout << "  " << Padded(t.id, 40) << Padded(ToString(t.kind), 24) << ToString(t.status)
              << "\n";
  return 0;
}

int CoverSheetCommand(Context& ctx, const std::string& case_id, const std::string& person,
                      const std::string& area, const std::string& expect, const std::string& kind,
                      const std::string& out) {
  CoverSheetRequest req;
  req.case_id = case_id;
  req.person_id = person;
  req.area = area;
  if (!ParseCoverSheetKind(kind, &req.kind))
    return Fail(
        Status::InvalidArgument("cover sheet type must be application, follow_up or loose_mail"));
  req.expected = SplitList(expect);
  auto service = OpenCaseService(ctx);
  if (!service.ok()) return Fail(service.status());
  auto sheet = (*service)->IssueCoverSheet(req);
  if (!sheet.ok()) return Fail(sheet.status());
  auto pdf = CoverSheetPdf(*sheet, ctx.rules);
  if (!pdf.ok()) return Fail(pdf.status());
  std::ofstream f(out, std::ios::binary);
  f << *pdf;
  if (!f) return Fail(Status::IOError("cannot write " + out));
  if (ctx.g.json) {
    std::cout << json{{"cover_id", sheet->id}, {"case_id", sheet->case_id}, {"file", out}}.dump(2)
              << "\n";
  } else {
    std::cout << "Cover sheet " << sheet->id << " written to " << out << "\n";
  }
  return 0;
}

}  // namespace

void AddCaseCommands(CLI::App& app, Context& ctx, const Runner& run) {
  struct Options {
    NewCase new_case;
    std::string requires_list, id;
    std::string cover_case, cover_person, cover_area, cover_expect, cover_kind = "follow_up",
                                                                    cover_out;
  };
  auto o = std::make_shared<Options>();
  auto* cas = app.add_subcommand("case", "cases")->require_subcommand(1);
  auto* add = cas->add_subcommand("add", "register a case");
  add->add_option("--id", o->new_case.id, "case number")->required();
  add->add_option("--person", o->new_case.person_id, "person id (11 digits)")->required();
  add->add_option("--area", o->new_case.area, "benefit area (AAP, SYK, DAG, ...)")->required();
  add->add_option("--unit", o->new_case.unit, "owning unit (4 digits)")->required();
  add->add_option("--name", o->new_case.person_name, "the person's name");
  add->add_option("--requires", o->requires_list, "required document types, comma-separated");
  add->add_option("--due", o->new_case.due, "due date YYYY-MM-DD");
  add->callback(run([&ctx, o] { return CaseAdd(ctx, o->new_case, o->requires_list); }));
  auto* close = cas->add_subcommand("close", "close a case; its retention period starts");
  close->add_option("id", o->id)->required();
  close->callback(run([&ctx, o] { return CaseClose(ctx, o->id); }));
  auto* show = cas->add_subcommand("show", "a case with its checklist, documents and tasks");
  show->add_option("id", o->id)->required();
  show->callback(run([&ctx, o] { return CaseShow(ctx, o->id); }));

  auto* cover = app.add_subcommand("coversheet", "issue a cover sheet and write it as PDF");
  cover->add_option("--case", o->cover_case, "case it is for");
  cover->add_option("--person", o->cover_person, "person it is for, when there is no case yet");
  cover->add_option("--area", o->cover_area, "benefit area, with --person");
  cover->add_option("--expect", o->cover_expect,
                    "document types to enclose (default: what the case misses)");
  cover->add_option("--type", o->cover_kind, "application, follow_up or loose_mail")
      ->capture_default_str();
  cover->add_option("--out", o->cover_out, "PDF file to write")->required();
  cover->callback(run([&ctx, o] {
    return CoverSheetCommand(ctx, o->cover_case, o->cover_person, o->cover_area, o->cover_expect,
                             o->cover_kind, o->cover_out);
  }));
}

}  // namespace postmottak
