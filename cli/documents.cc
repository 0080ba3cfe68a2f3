#include "cli/documents.h"

#include <ctime>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/json_views.h"

namespace postmottak {

namespace {

using nlohmann::json;

void PrintDocuments(const std::vector<DocumentRecord>& docs, const char* title, bool evidence) {
  std::cout << title << docs.size() << "\n";
  for (const auto& d : docs) {
    const std::string pages = JoinPages(d.source_pages);
    std::string cases = d.case_id.empty() ? "-" : d.case_id;
    for (const auto& also : d.also_cases) cases += "," + also;
    std::cout << "  " << d.id << "  " << Padded(d.type, 22) << Padded(cases, 14) << " "
              << d.source_file << " p." << pages << "\n";
    if (evidence) std::cout << "      " << d.link_evidence << "\n";
  }
}

int DocumentsCommand(Context& ctx, bool unlinked) {
  auto docs = unlinked ? ctx.s().ManualQueue() : ctx.s().Documents();
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
  auto d = ctx.s().ReadDocument(id);
  if (!d.ok()) return Fail(d.status());
  if (ctx.g.json) {
    std::cout << DocumentJson(*d).dump(2) << "\n";
    return 0;
  }
  const std::string pages = JoinPages(d->source_pages);
  std::cout << "Document " << d->id << "\n"
            << "  Type:        " << d->type << " (" << ctx.rules->TitleOf(d->type) << ")\n"
            << "  Case:        " << (d->case_id.empty() ? "(not linked)" : d->case_id) << "\n";
  for (const auto& also : d->also_cases) std::cout << "  Also case:   " << also << "\n";
  std::cout << "  Linked by:   " << (d->linked_by.empty() ? "-" : d->linked_by) << " - "
            << d->link_evidence << "\n"
            << "  Source:      " << d->source_file << " pages " << pages << "\n"
            << "  Batch:       " << d->batch << ", mail piece " << d->mail_piece << "\n"
            << "  Received:    " << d->received_at << " (pipeline " << d->pipeline_version << ")\n"
            << "  Pages:       " << d->source_pages.size() << ", searchable PDF "
            << (d->pdf_sha256.empty() ? "no" : "sha256 " + d->pdf_sha256) << "\n";
  if (!d->person_ids.empty()) {
    std::cout << "  Person ids:  ";
    for (size_t i = 0; i < d->person_ids.size(); ++i)
      std::cout << (i ? ", " : "") << d->person_ids[i];
    std::cout << "\n";
  }
  return 0;
}

int DocumentExport(Context& ctx, const std::string& id, const std::string& out) {
  auto pdf = ctx.s().DocumentPdf(id);
  if (!pdf.ok()) return Fail(pdf.status());
  if (Status written = WriteBytes(out, *pdf); !written.ok()) return Fail(written);
  if (ctx.g.json) {
    std::cout << json{{"document", id}, {"file", out}, {"bytes", pdf->size()}}.dump(2) << "\n";
  } else {
    std::cout << "Document " << id << " written to " << out << " (" << pdf->size() << " bytes)\n";
  }
  return 0;
}

int LinkCommand(Context& ctx, const std::string& doc, const std::string& case_id, bool also) {
  auto d = also ? ctx.s().LinkAlso(doc, case_id) : ctx.s().Link(doc, case_id);
  if (!d.ok()) return Fail(d.status());
  if (ctx.g.json) {
    std::cout << DocumentSummary(*d).dump(2) << "\n";
  } else if (also) {
    std::cout << "Document " << doc << " linked to case " << case_id << " as well (first case "
              << d->case_id << "); its checklist counts it\n";
  } else {
    std::cout << "Document " << doc << " linked to case " << case_id << "\n";
  }
  return 0;
}

// Manual journaling from the command line: the candidates of a waiting document.
int CandidatesCommand(Context& ctx, const std::string& doc, const std::string& person) {
  auto found = ctx.s().SuggestLinks(doc, person);
  if (!found.ok()) return Fail(found.status());
  if (ctx.g.json) {
    std::cout << LinkSuggestionJson(*found, *ctx.rules).dump(2) << "\n";
    return 0;
  }
  auto listed = [](const std::vector<std::string>& v) {
    std::string out;
    for (const auto& x : v) out += (out.empty() ? "" : ", ") + x;
    return out.empty() ? std::string("none") : out;
  };
  std::cout << "Document " << doc << " (" << ctx.rules->TitleOf(found->document_type) << ")\n"
            << "  Person ids found:    " << listed(found->person_ids) << "\n"
            << "  Case numbers found:  " << listed(found->case_numbers) << "\n"
            << "  Cover sheet:         " << (found->cover_id.empty() ? "none" : found->cover_id)
            << "\n"
            << "  Why not linked:      " << found->reason << "\n"
            << "Candidate cases: " << found->candidates.size() << "\n";
  for (const auto& c : found->candidates)
    std::cout << "  " << Padded(c.case_id, 14) << Padded(c.area, 5) << "unit " << Padded(c.unit, 6)
              << c.person_name << " (" << c.person_id << ")\n"
              << "      evidence: " << listed(c.evidence) << "; awaits: " << listed(c.awaits)
              << "\n";
  return 0;
}

int HandOnCommand(Context& ctx, const std::string& doc, const std::string& unit,
                  const std::string& reason) {
  auto t = ctx.s().HandOnDocument(doc, unit, reason);
  if (!t.ok()) return Fail(t.status());
  if (ctx.g.json) {
    std::cout << TaskJson(*t).dump(2) << "\n";
    return 0;
  }
  std::cout << "Document " << doc << " handed on to unit " << unit << "'s journaling queue ("
            << t->id << ")\n";
  return 0;
}

int TasksCommand(Context& ctx, const TaskFilter& filter) {
  auto tasks = ctx.s().Tasks(filter);
  if (!tasks.ok()) return Fail(tasks.status());
  if (ctx.g.json) {
    json out = json::array();
    for (const auto& t : *tasks) out.push_back(TaskJson(t));
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::cout << "Tasks: " << tasks->size() << (filter.closed_too ? "" : " open") << "\n";
  for (const auto& t : *tasks)
    std::cout << "  " << Padded(t.id, 44) << Padded(t.kind, 24) << Padded(t.unit, 6)
              << Padded(t.case_id.empty() ? "-" : t.case_id, 14)
              << (t.category.empty() ? "" : "[" + t.category + "] ") << t.reason
              << (t.holder.empty() ? "" : "  (held by " + t.holder + " since " + t.held_since + ")")
              << "\n";
  return 0;
}

// tasks take|release|done: one step on one task; `take --next` takes the oldest free one.
int TaskStep(Context& ctx, const std::string& step, const std::string& id) {
  Result<TaskRecord> t = step == "release" ? ctx.s().ReleaseTask(id)
                         : step == "done"  ? ctx.s().FinishTask(id)
                         : id.empty()      ? ctx.s().TakeNextTask()
                                           : ctx.s().TakeTask(id);
  if (!t.ok()) return Fail(t.status());
  if (ctx.g.json) {
    std::cout << TaskJson(*t).dump(2) << "\n";
    return 0;
  }
  const char* verb = step == "release" ? "Released " : step == "done" ? "Finished " : "Taken ";
  std::cout << verb << t->id << " (" << t->kind
            << (t->case_id.empty() ? "" : ", case " + t->case_id) << "): " << t->reason << "\n";
  return 0;
}

int SearchCommand(Context& ctx, const std::string& person, const std::string& text) {
  if (person.empty() == text.empty())
    return Fail(Status::InvalidArgument("search needs one of --person or --text"));
  if (!person.empty()) {
    auto cases = ctx.s().CasesOfPerson(person);
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
                << Padded(c.status, 24) << c.person_name << " (" << c.person_id << ")\n";
    return 0;
  }
  auto docs = ctx.s().SearchDocuments(text);
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

}  // namespace

void AddDocumentCommands(CLI::App& app, Context& ctx, const Runner& run) {
  struct Options {
    bool unlinked = false;
    std::string doc_id, export_out, person, text, link_doc, link_case, unit, reason;
    TaskFilter tasks;
    std::string task_id;
    bool mine = false, next = false, also = false;
  };
  auto o = std::make_shared<Options>();
  auto* documents = app.add_subcommand("documents", "list documents");
  documents->add_flag("--unlinked", o->unlinked, "only the manual-journaling queue");
  documents->callback(run([&ctx, o] { return DocumentsCommand(ctx, o->unlinked); }));

  auto* document = app.add_subcommand("document", "one document")->require_subcommand(1);
  auto* show = document->add_subcommand("show", "a document with its chain of custody");
  show->add_option("id", o->doc_id)->required();
  show->callback(run([&ctx, o] { return DocumentShow(ctx, o->doc_id); }));
  auto* exported = document->add_subcommand("export", "write a document's searchable PDF");
  exported->add_option("id", o->doc_id)->required();
  exported->add_option("--out", o->export_out, "PDF file to write")->required();
  exported->callback(run([&ctx, o] { return DocumentExport(ctx, o->doc_id, o->export_out); }));

  auto* candidates = document->add_subcommand(
      "candidates",
      "manual journaling: what was found in a waiting document, and its candidate cases");
  candidates->add_option("id", o->doc_id)->required();
  candidates->add_option("--person", o->person, "a person id read off the page: their cases too");
  candidates->callback(run([&ctx, o] { return CandidatesCommand(ctx, o->doc_id, o->person); }));
  auto* hand_on = document->add_subcommand(
      "hand-on", "hand a waiting document to another unit's journaling queue");
  hand_on->add_option("id", o->doc_id)->required();
  hand_on->add_option("--unit", o->unit, "the receiving unit")->required();
  hand_on->add_option("--reason", o->reason, "why")->required();
  hand_on->callback(run([&ctx, o] { return HandOnCommand(ctx, o->doc_id, o->unit, o->reason); }));

  auto* search =
      app.add_subcommand("search", "cases of a person, or documents by words (what you may see)");
  search->add_option("--person", o->person, "person id: their cases");
  search->add_option("--text", o->text, "words every document found must hold");
  search->callback(run([&ctx, o] { return SearchCommand(ctx, o->person, o->text); }));

  auto* link = app.add_subcommand("link", "link a document to a case by hand");
  link->add_option("document", o->link_doc)->required();
  link->add_option("case", o->link_case)->required();
  link->add_flag("--also", o->also,
                 "link a journaled document to this case as well (it concerns both)");
  link->callback(run([&ctx, o] { return LinkCommand(ctx, o->link_doc, o->link_case, o->also); }));

  auto* tasks = app.add_subcommand(
      "tasks", "open tasks you may see, oldest first; take, release or finish one");
  tasks->require_subcommand(0, 1);
  tasks->add_option("--unit", o->tasks.unit, "only this unit's queue");
  tasks->add_option("--case", o->tasks.case_id, "only this case's tasks");
  tasks->add_flag("--all", o->tasks.closed_too, "closed tasks too");
  tasks->add_flag("--mine", o->mine, "only the tasks you hold");
  tasks->add_flag("--free", o->tasks.unheld_only, "only the tasks nobody holds");
  auto list = run([&ctx, o] {
    if (o->mine) o->tasks.holder = ctx.s().principal();
    return TasksCommand(ctx, o->tasks);
  });
  // The list runs only when no step was asked for.
  tasks->callback([tasks, list] {
    if (tasks->get_subcommands().empty()) list();
  });
  auto* take = tasks->add_subcommand("take", "hold a task of your unit's queue");
  take->add_option("id", o->task_id, "the task (or --next)");
  take->add_flag("--next", o->next, "the oldest task nobody holds in your unit's queue");
  take->callback(run([&ctx, o] {
    if (o->next == !o->task_id.empty())
      return Fail(Status::InvalidArgument("tasks take needs a task id or --next"));
    return TaskStep(ctx, "take", o->task_id);
  }));
  auto* release = tasks->add_subcommand("release", "put a task you hold back in the queue");
  release->add_option("id", o->task_id)->required();
  release->callback(run([&ctx, o] { return TaskStep(ctx, "release", o->task_id); }));
  auto* done = tasks->add_subcommand("done", "finish a task you hold");
  done->add_option("id", o->task_id)->required();
  done->callback(run([&ctx, o] { return TaskStep(ctx, "done", o->task_id); }));
}

}  // namespace postmottak
