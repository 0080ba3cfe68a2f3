#include "cli/cases.h"

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/json_views.h"
#include "pipeline/services/session_rep.h"

namespace postmottak {

namespace {

using nlohmann::json;

int CaseAdd(Context& ctx, CaseRegistration registration, const std::string& requires_list) {
  registration.required = SplitList(requires_list);
  auto c = ctx.s().RegisterCase(registration);
  if (!c.ok()) return Fail(c.status());
  if (ctx.g.json) {
    std::cout << CaseJson(*c).dump(2) << "\n";
  } else {
    std::cout << "Case " << c->id << " registered: " << c->area << ", unit " << c->unit << ", "
              << c->status << "\n";
  }
  return 0;
}

int CaseClose(Context& ctx, const std::string& id) {
  auto c = ctx.s().CloseCase(id);
  if (!c.ok()) return Fail(c.status());
  if (ctx.g.json) {
    std::cout << CaseJson(*c).dump(2) << "\n";
  } else {
    const int days = OfficeAccess::PolicyOf(*ctx.office).RetentionDays(c->area);
    std::cout << "Case " << c->id << " closed at " << c->closed_at << "; "
              << (days < 0 ? "kept for good (no retention period for " + c->area + ")"
                           : "its documents are kept " + std::to_string(days) + " days")
              << "\n";
  }
  return 0;
}

int CaseHandOver(Context& ctx, const std::string& id, const std::string& to,
                 const std::string& category, const std::string& reason) {
  auto c = to.empty() ? ctx.s().ReturnCase(id, category, reason)
                      : ctx.s().TransferCase(id, to, category, reason);
  if (!c.ok()) return Fail(c.status());
  const HandoverRecord& h = c->handovers.back();
  if (ctx.g.json) {
    std::cout << json{{"case", CaseJson(*c)}, {"handover", HandoverJson(h)}}.dump(2) << "\n";
    return 0;
  }
  const UnitRule* unit = ctx.rules->Unit(h.to);
  const HandoverCategory* what = ctx.rules->Category(h.category);
  std::cout << "Case " << c->id << (h.kind == "return" ? " returned to unit " : " sent to unit ")
            << h.to << (unit ? " (" + unit->name + ")" : "") << ": "
            << (what ? what->title : h.category) << "\n  Task " << h.task_id
            << " is in its queue; the case's open tasks went with it.\n";
  return 0;
}

int CaseTimeline(Context& ctx, const std::string& id) {
  auto timeline = ctx.s().CaseTimeline(id);
  if (!timeline.ok()) return Fail(timeline.status());
  if (ctx.g.json) {
    json out = json::array();
    for (const auto& e : *timeline) out.push_back(TimelineEntryJson(e));
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::cout << "Timeline of case " << id << " (" << timeline->size() << " steps):\n";
  for (const auto& e : *timeline)
    std::cout << "  " << e.at << "  unit " << Padded(e.unit, 6) << Padded(e.what, 22)
              << Padded(e.object, 40) << e.by << (e.detail.empty() ? "" : ": " + e.detail) << "\n";
  return 0;
}

int StatusCommand(Context& ctx, const std::string& person_or_case) {
  auto status = ctx.s().CaseStatus(person_or_case);
  if (!status.ok()) return Fail(status.status());
  if (ctx.g.json) {
    json out = json::array();
    for (const auto& r : *status) out.push_back(CaseStatusJson(r));
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  if (status->empty()) std::cout << "No cases you may see the status of.\n";
  for (const auto& r : *status) {
    std::cout << "Case " << r.case_id << " (" << r.area << "): " << r.status << "\n"
              << "  With unit " << r.unit << (r.unit_name.empty() ? "" : " " + r.unit_name)
              << " since " << r.since << "\n"
              << "  Held by:  " << (r.holders.empty() ? "nobody yet (in the unit's queue)" : "");
    for (size_t i = 0; i < r.holders.size(); ++i) std::cout << (i ? ", " : "") << r.holders[i];
    std::cout << "\n";
    if (!r.awaiting_from.empty()) {
      std::cout << "  Waits for documentation from";
      for (const auto& [party, n] : r.awaiting_from) std::cout << " " << party << " (" << n << ")";
      std::cout << ", asked " << r.awaiting_since << "\n";
    }
    if (!r.due.empty())
      std::cout << "  Expected decision by " << r.due << (r.overdue ? "  OVERDUE" : "") << "\n";
  }
  return 0;
}

// The party a missing type is awaited from, as its open task says ("" when none).
std::string AwaitedFrom(const CaseRecord& c, const std::string& type) {
  for (const auto& t : c.tasks)
    if (t.kind == "missing_documentation" && t.document_type == type && t.status == "open")
      return t.awaited_from;
  return "";
}

void PrintCase(const Rules& rules, const CaseRecord& c) {
  std::cout << "Case " << c.id << "  " << c.area << "  unit " << c.unit << "  " << c.status << "\n"
            << "Person: " << c.person_name << " (" << c.person_id << ")\n"
            << "Access: " << c.basis << "\n";
  if (!c.due.empty())
    std::cout << "Due: " << c.due << (c.overdue ? "  OVERDUE: no decision yet" : "") << "\n";
  std::cout << "\nChecklist:\n";
  for (const auto& item : c.checklist) {
    const std::string from = AwaitedFrom(c, item.type);
    std::cout << "  [" << (item.documents.empty() ? " " : "x") << "] " << rules.TitleOf(item.type)
              << (item.documents.empty()
                      ? "  (missing" + (from.empty() ? "" : ", awaited from " + from) + ")"
                      : "")
              << "\n";
  }
  std::cout << "\nDocuments (" << c.documents.size() << "):\n";
  for (const auto& d : c.documents)
    std::cout << "  " << d.id << "  " << Padded(d.type, 22) << Padded(d.linked_by, 12)
              << d.source_file << " p." << JoinPages(d.source_pages) << "\n";
  std::cout << "\nTasks (" << c.tasks.size() << "):\n";
  for (const auto& t : c.tasks)
    std::cout << "  " << Padded(t.id, 40) << Padded(t.kind, 24) << Padded(t.status, 8) << "unit "
              << t.unit << (t.category.empty() ? "" : "  " + t.category) << "\n";
  if (!c.letters.empty()) {
    std::cout << "\nLetters (" << c.letters.size() << "; print with `letter print ID`):\n";
    for (const auto& l : c.letters) {
      std::string what;
      for (const auto& type : l.documents) what += (what.empty() ? "" : ", ") + rules.TitleOf(type);
      std::cout << "  " << Padded(l.id, 18) << Padded(l.kind, 9) << "to the "
                << Padded(l.recipient, 9) << l.written_at.substr(0, 10) << "  answer by "
                << l.answer_by << "  " << what << "\n";
    }
  }
  if (c.handovers.empty()) return;
  std::cout << "\nUnit history:\n";
  for (const auto& h : c.handovers)
    std::cout << "  " << h.at << "  " << Padded(h.kind, 9) << h.from << " -> " << h.to << "  "
              << Padded(h.category, 22) << "by " << h.by << ": " << h.reason << "\n";
}

int CaseShow(Context& ctx, const std::string& id) {
  auto c = ctx.s().ReadCase(id);
  if (!c.ok()) return Fail(c.status());
  if (!ctx.g.json) {
    PrintCase(*ctx.rules, *c);
    return 0;
  }
  const Rules* rules = ctx.rules;
  std::cout
      << CaseDetailJson(*c, [rules](const std::string& t) { return rules->TitleOf(t); }).dump(2)
      << "\n";
  return 0;
}

int WriteCoverSheet(Context& ctx, const CoverSheetRecord& sheet, const std::string& out) {
  if (Status written = WriteBytes(out, sheet.pdf); !written.ok()) return Fail(written);
  if (ctx.g.json) {
    std::cout << json{{"cover_id", sheet.id}, {"case_id", sheet.case_id}, {"file", out}}.dump(2)
              << "\n";
  } else {
    std::cout << "Cover sheet " << sheet.id << " written to " << out << "\n";
  }
  return 0;
}

int CoverSheetPrint(Context& ctx, const std::string& cover_id, const std::string& out) {
  auto sheet = ctx.s().ReprintCoverSheet(cover_id);
  if (!sheet.ok()) return Fail(sheet.status());
  return WriteCoverSheet(ctx, *sheet, out);
}

int LetterPrintCommand(Context& ctx, const std::string& letter_id, const std::string& out) {
  auto pdf = ctx.s().LetterPdf(letter_id);
  if (!pdf.ok()) return Fail(pdf.status());
  if (Status written = WriteBytes(out, *pdf); !written.ok()) return Fail(written);
  if (ctx.g.json) {
    std::cout << json{{"letter", letter_id}, {"file", out}, {"bytes", pdf->size()}}.dump(2) << "\n";
  } else {
    std::cout << "Letter " << letter_id << " written to " << out
              << " (the letter, then its cover sheet)\n";
  }
  return 0;
}

void PrintFollowUp(const FollowUpReport& r) {
  std::cout << "Follow-up of " << r.cases << " cases waiting for documentation:\n"
            << "  Reminder letters written: " << r.reminders.size() << "\n";
  for (const auto& id : r.reminders) std::cout << "    " << id << "\n";
  std::cout << "  Escalated (decide as it stands): " << r.escalated.size() << "\n";
  for (const auto& id : r.escalated) std::cout << "    " << id << "\n";
  for (const auto& why : r.failed) std::cerr << "postmottak: not followed up: " << why << "\n";
}

int FollowUpCommand(Context& ctx) {
  auto report = ctx.s().FollowUp();
  if (!report.ok()) return Fail(report.status());
  if (ctx.g.json) {
    std::cout << FollowUpJson(*report).dump(2) << "\n";
  } else {
    PrintFollowUp(*report);
  }
  // Exit 1 names the cases left out; the others were followed up.
  return report->failed.empty() ? 0 : 1;
}

int CoverSheetCommand(Context& ctx, CoverSheetOrder order, const std::string& expect,
                      const std::string& out) {
  order.expected = SplitList(expect);
  auto sheet = ctx.s().IssueCoverSheet(order);
  if (!sheet.ok()) return Fail(sheet.status());
  return WriteCoverSheet(ctx, *sheet, out);
}

}  // namespace

void AddCaseCommands(CLI::App& app, Context& ctx, const Runner& run) {
  struct Options {
    CaseRegistration new_case;
    std::string requires_list, id, to, category, reason;
    CoverSheetOrder cover;
    std::string cover_expect, cover_out;
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
  auto* transfer = cas->add_subcommand(
      "transfer", "hand a case to another unit, with a handover category of the rules");
  transfer->add_option("id", o->id)->required();
  transfer->add_option("--to", o->to, "the receiving unit")->required();
  transfer->add_option("--category", o->category, "what the unit is to do (see the rules)")
      ->required();
  transfer->add_option("--reason", o->reason, "why, for the receiving unit")->required();
  transfer->callback(
      run([&ctx, o] { return CaseHandOver(ctx, o->id, o->to, o->category, o->reason); }));
  auto* back = cas->add_subcommand("return", "hand a case back to the unit that sent it");
  back->add_option("id", o->id)->required();
  back->add_option("--category", o->category, "what the unit is to do (see the rules)")->required();
  back->add_option("--reason", o->reason, "why, for the receiving unit")->required();
  back->callback(run([&ctx, o] { return CaseHandOver(ctx, o->id, "", o->category, o->reason); }));
  auto* timeline = cas->add_subcommand("timeline", "where the case has been: its steps in order");
  timeline->add_option("id", o->id)->required();
  timeline->callback(run([&ctx, o] { return CaseTimeline(ctx, o->id); }));
  auto* status = app.add_subcommand(
      "status", "where a person's cases (or one case) are and what they wait for, no content");
  status->add_option("person_or_case", o->id, "a person id (11 digits) or a case id")->required();
  status->callback(run([&ctx, o] { return StatusCommand(ctx, o->id); }));
  auto* show = cas->add_subcommand("show", "a case with its checklist, documents and tasks");
  show->add_option("id", o->id)->required();
  show->callback(run([&ctx, o] { return CaseShow(ctx, o->id); }));

  auto* cover = app.add_subcommand("coversheet", "issue a cover sheet and write it as PDF");
  cover->add_option("--case", o->cover.case_id, "case it is for");
  cover->add_option("--person", o->cover.person_id, "person it is for, when there is no case yet");
  cover->add_option("--area", o->cover.area, "benefit area, with --person");
  cover->add_option("--expect", o->cover_expect,
                    "document types to enclose (default: what the case misses)");
  cover->add_option("--type", o->cover.kind, "application, follow_up or loose_mail")
      ->capture_default_str();
  cover->add_option("--out", o->cover_out, "PDF file to write (required)");
  cover->require_subcommand(0, 1);
  auto issue = run([&ctx, o] {
    if (o->cover_out.empty()) return Fail(Status::InvalidArgument("--out FILE.pdf is required"));
    return CoverSheetCommand(ctx, o->cover, o->cover_expect, o->cover_out);
  });
  // Issuing runs only when the sheet is not printed again.
  cover->callback([cover, issue] {
    if (cover->get_subcommands().empty()) issue();
  });
  auto* print = cover->add_subcommand("print", "print an issued cover sheet again, the same");
  print->add_option("cover_id", o->id, "the 12-digit cover id")->required();
  print->add_option("--out", o->cover_out, "PDF file to write")->required();
  print->callback(run([&ctx, o] { return CoverSheetPrint(ctx, o->id, o->cover_out); }));

  auto* letter =
      app.add_subcommand("letter", "a case's request and reminder letters")->require_subcommand(1);
  auto* letter_print =
      letter->add_subcommand("print", "write a letter as PDF, its cover sheet as the last page");
  letter_print->add_option("letter_id", o->id, "the letter (see case show)")->required();
  letter_print->add_option("--out", o->cover_out, "PDF file to write")->required();
  letter_print->callback(run([&ctx, o] { return LetterPrintCommand(ctx, o->id, o->cover_out); }));
  auto* follow_up = app.add_subcommand(
      "followup", "remind where a request went unanswered; escalate an unanswered reminder");
  follow_up->callback(run([&ctx] { return FollowUpCommand(ctx); }));
}

}  // namespace postmottak
