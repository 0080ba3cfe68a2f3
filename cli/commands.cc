#include "cli/commands.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cli/accounting.h"
#include "cli/cluster.h"
#include "cli/context.h"
#include "cli/privacy.h"
#include "pipeline/case_service.h"
#include "pipeline/completeness.h"
#include "pipeline/cover_sheet.h"
#include "pipeline/extraction.h"
#include "pipeline/intake.h"
#include "pipeline/reindex.h"
#include "pipeline/statistics.h"
#include "storage/store.h"

namespace postmottak {

namespace {

using nlohmann::json;

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

// Person ids come from the case service masked, unless --unmask was allowed.
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

// ---- commands ------------------------------------------------------------------

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

int IntakeCommand(Context& ctx, const std::vector<std::string>& paths, int workers,
                  const std::string& batch, bool fail_on_quarantine, bool defer_ocr,
                  const SourceLimits& limits, const DistributedOptions& distributed) {
  IntakeOptions options;
  options.stop = StopOnSignals();
  if (!distributed.nats_url.empty()) {
    options.remote_workers = [&](const std::string& batch_id) {
      return NatsWorkers(*ctx.store, batch_id, ctx.rules, options, distributed);
    };
  }
  options.limits = limits;
  options.workers = workers;
  options.defer_covered_ocr = defer_ocr;
  options.batch = batch;
  options.principal = ctx.principal;
  Progress progress(!ctx.g.json);
  options.on_progress = [&progress](const IntakeProgress& p) {
    progress.Show(p.pages_done, std::max(p.pages_done, p.pages_known), "pages");
  };
  auto report = RunIntake(ctx.store.get(), ctx.rules, paths, options);
  progress.Finish();
  if (!report.ok()) return Fail(report.status());
  const IntakeReport& r = *report;
  if (ctx.g.json) {
    json q = json::array();
    for (const auto& e : r.quarantined)
      q.push_back({{"file", e.file}, {"page", e.page}, {"reason", e.reason}});
    json slow = json::array();
    for (const auto& e : r.slowest)
      slow.push_back({{"file", e.file},
                      {"page", e.page},
                      {"seconds", e.seconds},
                      {"rendered", e.rendered},
                      {"unread", e.unread}});
    std::cout << json{{"batch", r.batch},
                      {"files", r.files},
                      {"pages", r.pages},
                      {"blank_pages", r.blank_pages},
                      {"cover_sheets", r.cover_sheets},
                      {"separator_sheets", r.separator_sheets},
                      {"mail_pieces", r.mail_pieces},
                      {"documents", r.documents},
                      {"linked_by_cover_sheet", r.linked_by_cover},
                      {"linked_by_text", r.linked_by_text},
                      {"manual_journaling", r.manual},
                      {"duplicates", r.duplicates},
                      {"duplicate_pages", r.duplicate_pages},
                      {"duplicate_files", r.duplicate_files},
                      {"run", r.runs},
                      {"resumed_pages", r.resumed_pages},
                      {"tasks_raised", r.tasks_raised},
                      {"tasks_closed", r.tasks_closed},
                      {"quarantined", q},
                      {"rendered_pages", r.rendered_pages},
                      {"text_layer_pages", r.text_layer_pages},
                      {"unread_pages", r.unread_pages},
                      {"slowest_pages", slow},
                      {"seconds", r.seconds},
                      {"pages_per_second", r.pages_per_second},
                      {"workers", r.workers},
                      {"distributed", !distributed.nats_url.empty()},
                      {"interrupted", r.interrupted}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << "Intake of batch " << r.batch << "\n";
    if (r.runs > 1)
      std::cout << "  Resumed (run " << r.runs << "):          " << r.resumed_pages
                << " pages were taken in before\n";
    std::cout << "  Files:                     " << r.files << "\n"
              << "  Pages:                     " << r.pages << "  (blank " << r.blank_pages
              << ", cover sheets " << r.cover_sheets << ", separator sheets " << r.separator_sheets
              << ")\n"
              << "  Mail pieces:               " << r.mail_pieces << "\n"
              << "  Documents journaled:       " << r.documents << "\n"
              << "    linked by cover sheet:   " << r.linked_by_cover << "\n"
              << "    linked by text:          " << r.linked_by_text << "\n"
              << "    manual journaling:       " << r.manual << "\n"
              << "  Duplicates (not stored):   " << r.duplicate_pages << " pages, " << r.duplicates
              << " documents, " << r.duplicate_files << " whole files\n"
              << "  Tasks raised / closed:     " << r.tasks_raised << " / " << r.tasks_closed
              << "\n"
              << "  Quarantined inputs:        " << r.quarantined.size() << "\n";
    for (const auto& e : r.quarantined) std::cout << "    - " << e.reason << "\n";
    if (r.rendered_pages > 0 || r.unread_pages > 0)
      std::cout << "  PDF pages rendered:        " << r.rendered_pages << "  (text from their own "
                << "text layer: " << r.text_layer_pages << ")\n";
    if (r.unread_pages > 0)
      std::cout << "  Not read in time:          " << r.unread_pages
                << " pages, journaled without text; a person is asked to read them\n";
    if (!r.slowest.empty()) {
      std::cout << "  Slowest pages (bound " << std::fixed << std::setprecision(0)
                << limits.page_seconds << " s):\n";
      for (const auto& e : r.slowest)
        std::cout << "    " << std::setprecision(1) << std::setw(6) << e.seconds << " s  " << e.file
                  << " page " << e.page << (e.rendered ? "  (rendered)" : "")
                  << (e.unread.empty() ? "" : "  not read: " + e.unread) << "\n";
    }
    std::cout << std::fixed << std::setprecision(2)
              << "  Throughput:                " << r.pages_per_second << " pages/s (" << r.workers
              << (distributed.nats_url.empty() ? " workers, " : " remote workers, ")
              << std::setprecision(1) << r.seconds << " s)\n";
    if (r.interrupted)
      std::cout << "  Interrupted: the pages read so far are journaled; run the same intake "
                   "again to go on\n";
  }
  if (r.interrupted) return 7;
  return fail_on_quarantine && !r.quarantined.empty() ? 4 : 0;
}

void PrintDocuments(const std::vector<Document>& docs, const char* title, bool evidence) {
  std::cout << title << docs.size() << "\n";
  for (const auto& d : docs) {
    const std::string pages = JoinPages(d.source_pages);
    std::cout << "  " << d.id << "  " << Padded(d.type, 22)
              << Padded(d.case_id.empty() ? "-" : d.case_id, 14) << d.source_file << " p." << pages
              << "\n";
    if (evidence) std::cout << "      " << d.link_evidence << "\n";
  }
}

int DocumentsCommand(Context& ctx, bool unlinked) {
  auto service = OpenCaseService(ctx);
  if (!service.ok()) return Fail(service.status());
  auto docs = (*service)->ListDocuments(unlinked);
  if (!docs.ok()) return Fail(docs.status());
  if (ctx.g.json) {
    json out = json::array();
    for (const auto& d : *docs) out.push_back(DocumentSummary(d));
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  PrintDocuments(*docs, unlinked ? "Manual-journaling queue: " : "Documents: ", unlinked);
  return 0;
}

int DocumentShow(Context& ctx, const std::string& id) {
  auto service = OpenCaseService(ctx);
  if (!service.ok()) return Fail(service.status());
  auto d = (*service)->ReadDocument(id);
  if (!d.ok()) return Fail(d.status());
  if (ctx.g.json) {
    std::cout << DocumentJson(*d).dump(2) << "\n";
    return 0;
  }
  const std::string pages = JoinPages(d->source_pages);
  std::cout << "Document " << d->id << "\n"
            << "  Type:        " << d->type << " (" << ctx.rules.TitleOf(d->type) << ")\n"
            << "  Case:        " << (d->case_id.empty() ? "(not linked)" : d->case_id) << "\n"
            << "  Linked by:   " << ToString(d->linked_by) << " - " << d->link_evidence << "\n"
            << "  Source:      " << d->source_file << " pages " << pages << "\n"
            << "  Batch:       " << d->batch << ", mail piece " << d->mail_piece << "\n"
            << "  Received:    " << d->received_at << " (pipeline " << d->pipeline_version << ")\n"
            << "  Pages:       " << d->pages.size() << ", searchable PDF "
            << (d->pdf_blob.empty() ? "no" : "yes") << "\n";
  if (!d->person_ids.empty()) {
    std::cout << "  Person ids:  ";
    for (size_t i = 0; i < d->person_ids.size(); ++i)
      std::cout << (i ? ", " : "") << d->person_ids[i];
    std::cout << "\n";
  }
  return 0;
}

int DocumentExport(Context& ctx, const std::string& id, const std::string& out) {
  auto service = OpenCaseService(ctx);
  if (!service.ok()) return Fail(service.status());
  auto pdf = (*service)->ReadDocumentPdf(id);
  if (!pdf.ok()) return Fail(pdf.status());
  std::ofstream f(out, std::ios::binary);
  f << *pdf;
  if (!f) return Fail(Status::IOError("cannot write " + out));
  if (ctx.g.json) {
    std::cout << json{{"document", id}, {"file", out}, {"bytes", pdf->size()}}.dump(2) << "\n";
  } else {
    std::cout << "Document " << id << " written to " << out << " (" << pdf->size() << " bytes)\n";
  }
  return 0;
}

int LinkCommand(Context& ctx, const std::string& doc, const std::string& case_id) {
  auto service = OpenCaseService(ctx);
  if (!service.ok()) return Fail(service.status());
  auto d = (*service)->LinkDocument(doc, case_id);
  if (!d.ok()) return Fail(d.status());
  if (ctx.g.json) {
    std::cout << DocumentSummary(*d).dump(2) << "\n";
  } else {
    std::cout << "Document " << doc << " linked to case " << case_id << "\n";
  }
  return 0;
}

int TasksCommand(Context& ctx, const TaskFilter& filter) {
  auto service = OpenCaseService(ctx);
  if (!service.ok()) return Fail(service.status());
  auto tasks = (*service)->ListTasks(filter);
  if (!tasks.ok()) return Fail(tasks.status());
  if (ctx.g.json) {
    json out = json::array();
    for (const auto& t : *tasks) out.push_back(TaskJson(t));
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::cout << "Tasks: " << tasks->size() << (filter.closed_too ? "" : " open") << "\n";
  for (const auto& t : *tasks)
    std::cout << "  " << Padded(t.id, 44) << Padded(ToString(t.kind), 24) << Padded(t.unit, 6)
              << Padded(t.case_id.empty() ? "-" : t.case_id, 14) << t.reason << "\n";
  return 0;
}

int SearchCommand(Context& ctx, const std::string& person, const std::string& text) {
  if (person.empty() == text.empty())
    return Fail(Status::InvalidArgument("search needs one of --person or --text"));
  auto service = OpenCaseService(ctx);
  if (!service.ok()) return Fail(service.status());
  if (!person.empty()) {
    auto cases = (*service)->SearchCases(person);
    if (!cases.ok()) return Fail(cases.status());
    if (ctx.g.json) {
      json out = json::array();
      for (const auto& c : *cases) out.push_back(CaseJson(c));
      std::cout << out.dump(2) << "\n";
      return 0;
    }
    std::cout << "Cases you may see: " << cases->size() << "\n";
    for (const auto& c : *cases)
      std::cout << "  " << Padded(c.id, 14) << Padded(c.area, 5) << "unit " << Padded(c.unit, 6)
                << Padded(ToString(c.status), 24) << c.person_name << " (" << c.person_id << ")\n";
    return 0;
  }
  auto docs = (*service)->SearchDocuments(text);
  if (!docs.ok()) return Fail(docs.status());
  if (ctx.g.json) {
    json out = json::array();
    for (const auto& d : *docs) out.push_back(DocumentSummary(d));
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  PrintDocuments(*docs, "Documents you may see that match: ", false);
  return 0;
}

int StatsCommand(Context& ctx) {
  auto stats = UnitStatisticsOf(ctx.store.get(), ctx.principal, ctx.g.purpose, std::time(nullptr));
  if (!stats.ok()) return Fail(stats.status());
  const std::map<std::string, UnitStatistics>& units = *stats;
  if (ctx.g.json) {
    json out = json::object();
    for (const auto& [unit, u] : units)
      out[unit] = {{"cases_awaiting_documentation", u.awaiting_documentation},
                   {"awaiting_from", u.awaiting_from},
                   {"cases_ready_for_decision", u.ready_for_decision},
                   {"decision_backlog", u.ready_for_decision},
                   {"cases_closed", u.closed},
                   {"open_tasks", u.open_tasks}};
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::cout << "Per unit (backlog counts only cases that can be decided; cases awaiting\n"
               "documentation are shown apart, with whom they wait for):\n";
  for (const auto& [unit, u] : units) {
    std::cout << "\nUnit " << unit << "\n"
              << "  Ready for decision (backlog): " << u.ready_for_decision << "\n"
              << "  Awaiting documentation:       " << u.awaiting_documentation;
    if (!u.awaiting_from.empty()) {
      std::cout << "  (from";
      for (const auto& [party, n] : u.awaiting_from) std::cout << " " << party << ": " << n;
      std::cout << ")";
    }
    std::cout << "\n";
    for (const auto& [kind, buckets] : u.open_tasks) {
      int total = 0;
      for (const auto& [b, n] : buckets) total += n;
      std::cout << "  Open " << Padded(kind + ":", 24) << total << "  (";
      bool first = true;
      for (const auto& [b, n] : buckets) {
        std::cout << (first ? "" : ", ") << b << " " << n;
        first = false;
      }
      std::cout << ")\n";
    }
  }
  return 0;
}

int ReindexCommand(Context& ctx, int workers, bool only_pending) {
  ReindexOptions options;
  options.workers = workers;
  options.only_pending = only_pending;
  options.principal = ctx.principal;
  Progress progress(!ctx.g.json);
  options.on_progress = [&progress](int done, int total) {
    progress.Show(done, total, "documents");
  };
  auto r = Reindex(ctx.store.get(), ctx.rules, options);
  progress.Finish();
  if (!r.ok()) return Fail(r.status());
  if (ctx.g.json) {
    std::cout << json{{"documents", r->documents},
                      {"processed", r->processed},
                      {"changed", r->changed},
                      {"resumed", r->resumed},
                      {"cases_evaluated", r->cases_evaluated}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << "Reindexed " << r->processed << " of " << r->documents << " documents"
              << (r->resumed ? " (resumed)" : "") << "; " << r->changed
              << " changed; indexes rebuilt; " << r->cases_evaluated << " cases re-evaluated\n";
  }
  return 0;
}

}  // namespace

int RunCommandLine(int argc, char** argv) {
  CLI::App app{
      "Postmottak: electronic mail intake. Scanned pages in, journaled documents on cases out."};
  app.require_subcommand(1);
  // Global options after the command too ("coversheet --case X --json"): a subcommand
  // hands what it does not know to its parent. Subcommands made below inherit this.
  app.fallthrough();
  Globals g;
  if (const char* p = std::getenv("POSTMOTTAK_PRINCIPAL")) g.principal = p;
  if (const char* p = std::getenv("POSTMOTTAK_PURPOSE")) g.purpose = p;
  app.add_option("--db", g.db,
                 "store directory (created when missing; every command but worker and cluster)");
  app.add_option("--rules", g.rules_path, "rules file")->capture_default_str();
  app.add_option("--policy", g.policy_path, "access policy file")->capture_default_str();
  app.add_option("--principal", g.principal,
                 "who acts: a principal of the policy (default: $POSTMOTTAK_PRINCIPAL)");
  app.add_option("--purpose", g.purpose,
                 "why, for the audit trail (default: $POSTMOTTAK_PURPOSE, else the command)");
  app.add_flag("--unmask", g.unmask,
               "show person ids in full (needs the unmask permission; audited)");
  app.add_flag("--json", g.json, "machine-readable output");

  int rc = 0;
  Context ctx;
  // The command's name ("case show"), the audit purpose when none is given.
  auto command_name = [&app] {
    std::string name;
    for (const CLI::App* at = &app; !at->get_subcommands().empty();) {
      at = at->get_subcommands().front();
      name += (name.empty() ? "" : " ") + at->get_name();
    }
    return name;
  };
  auto run = [&](auto fn) {
    return [&, fn] {
      Status st = OpenContext(g, command_name(), &ctx);
      rc = st.ok() ? fn() : Fail(st);
    };
  };

  auto* cas = app.add_subcommand("case", "cases")->require_subcommand(1);
  NewCase nc;
  std::string requires_list;
  auto* add = cas->add_subcommand("add", "register a case");
  add->add_option("--id", nc.id, "case number")->required();
  add->add_option("--person", nc.person_id, "person id (11 digits)")->required();
  add->add_option("--area", nc.area, "benefit area (AAP, SYK, DAG, ...)")->required();
  add->add_option("--unit", nc.unit, "owning unit (4 digits)")->required();
  add->add_option("--name", nc.person_name, "the person's name");
  add->add_option("--requires", requires_list, "required document types, comma-separated");
  add->add_option("--due", nc.due, "due date YYYY-MM-DD");
  add->callback(run([&] { return CaseAdd(ctx, nc, requires_list); }));
  std::string close_id;
  auto* close = cas->add_subcommand("close", "close a case; its retention period starts");
  close->add_option("id", close_id)->required();
  close->callback(run([&] { return CaseClose(ctx, close_id); }));
  std::string show_id;
  auto* show = cas->add_subcommand("show", "a case with its checklist, documents and tasks");
  show->add_option("id", show_id)->required();
  show->callback(run([&] { return CaseShow(ctx, show_id); }));

  std::string cs_case, cs_person, cs_area, cs_expect, cs_kind = "follow_up", cs_out;
  auto* cover = app.add_subcommand("coversheet", "issue a cover sheet and write it as PDF");
  cover->add_option("--case", cs_case, "case it is for");
  cover->add_option("--person", cs_person, "person it is for, when there is no case yet");
  cover->add_option("--area", cs_area, "benefit area, with --person");
  cover->add_option("--expect", cs_expect,
                    "document types to enclose (default: what the case misses)");
  cover->add_option("--type", cs_kind, "application, follow_up or loose_mail")
      ->capture_default_str();
  cover->add_option("--out", cs_out, "PDF file to write")->required();
  cover->callback(run([&] {
    return CoverSheetCommand(ctx, cs_case, cs_person, cs_area, cs_expect, cs_kind, cs_out);
  }));

  std::vector<std::string> paths;
  int workers = 0;
  std::string batch;
  bool fail_on_quarantine = false;
  auto* intake = app.add_subcommand("intake", "intake scanned files or folders");
  intake->add_option("paths", paths, "files or folders")->required();
  intake->add_option("--workers", workers, "worker threads (default: one per core)");
  intake->add_option("--batch", batch,
                     "batch name (default: the manifest's, else derived from the files' "
                     "checksums, so a rerun resumes)");
  SourceLimits limits;
  AddLimitOptions(intake, &limits);
  intake->add_flag("--fail-on-quarantine", fail_on_quarantine,
                   "exit 4 when any input went to quarantine");
  bool defer_ocr = false;
  intake->add_flag("--defer-ocr", defer_ocr,
                   "journal pages behind a cover sheet without OCR; `reindex --pending` reads "
                   "them later");
  DistributedOptions distributed;
  AddDistributedOptions(intake, &distributed);
  intake->callback(run([&] {
    return IntakeCommand(ctx, paths, workers, batch, fail_on_quarantine, defer_ocr, limits,
                         distributed);
  }));

  bool unlinked = false;
  auto* documents = app.add_subcommand("documents", "list documents");
  documents->add_flag("--unlinked", unlinked, "only the manual-journaling queue");
  documents->callback(run([&] { return DocumentsCommand(ctx, unlinked); }));

  auto* document = app.add_subcommand("document", "one document")->require_subcommand(1);
  std::string doc_id;
  auto* dshow = document->add_subcommand("show", "a document with its chain of custody");
  dshow->add_option("id", doc_id)->required();
  dshow->callback(run([&] { return DocumentShow(ctx, doc_id); }));
  std::string export_out;
  auto* dexport = document->add_subcommand("export", "write a document's searchable PDF");
  dexport->add_option("id", doc_id)->required();
  dexport->add_option("--out", export_out, "PDF file to write")->required();
  dexport->callback(run([&] { return DocumentExport(ctx, doc_id, export_out); }));

  std::string search_person, search_text;
  auto* search =
      app.add_subcommand("search", "cases of a person, or documents by words (what you may see)");
  search->add_option("--person", search_person, "person id: their cases");
  search->add_option("--text", search_text, "words every document found must hold");
  search->callback(run([&] { return SearchCommand(ctx, search_person, search_text); }));

  std::string link_doc, link_case;
  auto* link = app.add_subcommand("link", "link a document to a case by hand");
  link->add_option("document", link_doc)->required();
  link->add_option("case", link_case)->required();
  link->callback(run([&] { return LinkCommand(ctx, link_doc, link_case); }));

  TaskFilter task_filter;
  auto* tasks = app.add_subcommand("tasks", "open tasks you may see");
  tasks->add_option("--unit", task_filter.unit, "only this unit's queue");
  tasks->add_option("--case", task_filter.case_id, "only this case's tasks");
  tasks->add_flag("--all", task_filter.closed_too, "closed tasks too");
  tasks->callback(run([&] { return TasksCommand(ctx, task_filter); }));

  auto* stats = app.add_subcommand(
      "stats", "per unit: awaiting documentation, ready for decision, open tasks by age");
  stats->callback(run([&] { return StatsCommand(ctx); }));

  int reindex_workers = 0;
  auto* reindex =
      app.add_subcommand("reindex", "re-run OCR and extraction, rebuild indexes (resumable)");
  reindex->add_option("--workers", reindex_workers, "worker threads (default: one per core)");
  bool reindex_pending = false;
  reindex->add_flag("--pending", reindex_pending,
                    "only documents whose OCR intake deferred (intake --defer-ocr)");
  reindex->callback(run([&] { return ReindexCommand(ctx, reindex_workers, reindex_pending); }));

  const Runner runner = [&run](std::function<int()> fn) -> std::function<void()> {
    return run(fn);
  };
  AddAccountingCommands(app, ctx, runner);
  AddPrivacyCommands(app, ctx, runner);
  AddClusterCommands(app, g, &rc);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  return rc;
}

}  // namespace postmottak
