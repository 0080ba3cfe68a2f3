// The public face (postmottak/office.h) over the case service, the intake and the
// statistics. Only translation lives here: every decision (roles, need to know, audit)
// is made by the services it calls, so the library and the command line decide alike.
#include "postmottak/office.h"

#include <utility>

#include "pipeline/config/rules.h"
#include "pipeline/intake/intake.h"
#include "pipeline/services/access.h"
#include "pipeline/services/case_service.h"
#include "pipeline/services/public_records.h"
#include "pipeline/services/statistics.h"
#include "pipeline/stages/cover_sheet.h"
#include "storage/store.h"

namespace postmottak {

struct Office::Rep {
  OfficeOptions options;
  Rules rules;
  Policy policy;
  std::unique_ptr<Store> store;
};

struct Session::Rep {
  Office::Rep* office;
  Principal principal;
  std::string purpose;
  CaseService service;
  Rep(Office::Rep* o, Principal p, std::string why)
      : office(o),
        principal(p),
        purpose(why),
        service(o->store.get(), &o->rules, &o->policy, std::move(p), std::move(why)) {}
};

Office::Office(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
Office::~Office() = default;

Result<std::unique_ptr<Office>> Office::Open(const OfficeOptions& options) {
  if (options.store_dir.empty()) return Status::InvalidArgument("no store folder given");
  if (options.rules_file.empty()) return Status::InvalidArgument("no rules file given");
  if (options.policy_file.empty()) return Status::InvalidArgument("no access policy file given");
  auto rep = std::make_unique<Rep>();
  rep->options = options;
  auto rules = Rules::Load(options.rules_file);
  if (!rules.ok()) return rules.status();
  rep->rules = std::move(rules).value();
  auto policy = Policy::Load(options.policy_file);
  if (!policy.ok()) return policy.status();
  rep->policy = std::move(policy).value();
  StoreOptions store_options;
  store_options.sync_commits = options.sync_commits;
  auto store = Store::Open(options.store_dir, store_options);
  if (!store.ok()) return store.status();
  rep->store = std::move(store).value();
  return std::unique_ptr<Office>(new Office(std::move(rep)));
}

Result<Session> Office::Begin(const std::string& principal, const std::string& purpose) {
  if (purpose.find_first_not_of(" \t\n") == std::string::npos)
    return Status::InvalidArgument("a session needs a purpose: it is written to every audit entry");
  auto p = rep_->policy.Resolve(principal);
  if (!p.ok()) return p.status();
  return Session(std::make_unique<Session::Rep>(rep_.get(), std::move(p).value(), purpose));
}

Session::Session(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;
Session::~Session() = default;

const std::string& Session::principal() const { return rep_->principal.id; }

Status Session::Unmask() { return rep_->service.Unmask(); }

Result<CaseRecord> Session::RegisterCase(const CaseRegistration& r) {
  auto added = rep_->service.AddCase(r);
  if (!added.ok()) return added.status();
  return ReadCase(r.id);
}

Result<CaseRecord> Session::ReadCase(const std::string& case_id) {
  auto view = rep_->service.ReadCase(case_id);
  if (!view.ok()) return view.status();
  return RecordOf(*view);
}

Result<CaseRecord> Session::CloseCase(const std::string& case_id) {
  auto closed = rep_->service.CloseCase(case_id);
  if (!closed.ok()) return closed.status();
  return ReadCase(case_id);
}

Result<std::vector<CaseRecord>> Session::CasesOfPerson(const std::string& person_id) {
  auto cases = rep_->service.SearchCases(person_id);
  if (!cases.ok()) return cases.status();
  std::vector<CaseRecord> out;
  for (const auto& c : *cases) out.push_back(RecordOf(c));
  return out;
}

Result<CoverSheetRecord> Session::IssueCoverSheet(const std::string& case_id,
                                                  const std::vector<std::string>& expected) {
  CoverSheetRequest request;
  request.case_id = case_id;
  request.expected = expected;
  auto sheet = rep_->service.IssueCoverSheet(std::move(request));
  if (!sheet.ok()) return sheet.status();
  auto pdf = CoverSheetPdf(*sheet, rep_->office->rules);
  if (!pdf.ok()) return pdf.status();
  return RecordOf(*sheet, std::move(pdf).value());
}

Result<IntakeSummary> Session::Intake(const std::vector<std::string>& paths,
                                      const IntakeControl& control) {
  const OfficeOptions& o = rep_->office->options;
  IntakeOptions options;
  options.principal = rep_->principal;
  options.batch = control.batch;
  options.workers = o.workers;
  options.ocr.language = o.ocr_language;
  options.ocr.tessdata = o.tessdata;
  options.limits.page_seconds = o.page_seconds;
  options.limits.image.max_pixels = o.max_pixels;
  options.stop = control.stop;
  if (control.on_progress)
    options.on_progress = [&control](const IntakeProgress& p) {
      control.on_progress(p.pages_done, p.pages_known);
    };
  auto report = RunIntake(rep_->office->store.get(), rep_->office->rules, paths, options);
  if (!report.ok()) return report.status();
  return static_cast<const IntakeSummary&>(*report);  // the public part of the report
}

Result<std::vector<DocumentRecord>> Session::ManualQueue() {
  auto docs = rep_->service.ListDocuments(true);
  if (!docs.ok()) return docs.status();
  return RecordsOf(*docs);
}

Result<std::vector<DocumentRecord>> Session::SearchDocuments(const std::string& words) {
  auto docs = rep_->service.SearchDocuments(words);
  if (!docs.ok()) return docs.status();
  return RecordsOf(*docs);
}

Result<DocumentRecord> Session::Link(const std::string& document_id, const std::string& case_id) {
  auto linked = rep_->service.LinkDocument(document_id, case_id);
  if (!linked.ok()) return linked.status();
  return RecordOf(*linked);
}

Result<std::vector<TaskRecord>> Session::OpenTasks(const std::string& unit) {
  TaskFilter filter;
  filter.unit = unit;
  auto tasks = rep_->service.ListTasks(filter);
  if (!tasks.ok()) return tasks.status();
  std::vector<TaskRecord> out;
  for (const auto& t : *tasks) out.push_back(RecordOf(t));
  return out;
}

Result<std::map<std::string, UnitStatistics>> Session::Statistics() {
  return UnitStatisticsOf(rep_->office->store.get(), rep_->principal, rep_->purpose,
                          std::time(nullptr));
}

}  // namespace postmottak
