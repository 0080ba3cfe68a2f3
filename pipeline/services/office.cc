// The public face (postmottak/office.h): opening an office, beginning a session, and
// the session's cases, cover sheets, documents, tasks and intake. Only translation lives
// here: every decision (roles, need to know, audit) is made by the services it calls,
// so the library, the command line and the server decide alike.
#include <fstream>
#include <utility>

#include "codecs/file_bytes.h"
#include "codecs/image.h"
#include "pipeline/distributed/distributed.h"
#include "pipeline/services/public_records.h"
#include "pipeline/services/session_rep.h"
#include "pipeline/stages/cover_sheet.h"
#include "pipeline/stages/letters.h"
#include "storage/audit.h"
#include "storage/index_keys.h"

namespace postmottak {

Office::Office(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
Office::~Office() = default;

namespace {

// The vendor's key is checked at Open, so a bad configuration is refused at once rather
// than when the first encrypted delivery arrives.
Status ReadVendorKey(const OfficeOptions& options, DecryptionKey* key) {
  if (options.vendor_key_file.empty()) {
    if (!options.vendor_passphrase_file.empty())
      return Status::InvalidArgument("a vendor passphrase file is given without a vendor key");
    return Status::OK();
  }
  if (!std::ifstream(options.vendor_key_file))
    return Status::InvalidArgument("vendor key " + options.vendor_key_file +
                                   " cannot be read (OfficeOptions::vendor_key_file)");
  key->secret_key_file = options.vendor_key_file;
  if (options.vendor_passphrase_file.empty()) return Status::OK();
  auto text = ReadFileBytes(options.vendor_passphrase_file, 4096,
                            "vendor passphrase file " + options.vendor_passphrase_file);
  if (!text.ok()) return text.status();
  key->passphrase = text->substr(0, text->find_first_of("\r\n"));
  return Status::OK();
}

}  // namespace

Result<std::unique_ptr<Office>> Office::Open(const OfficeOptions& options) {
  if (options.store_dir.empty()) return Status::InvalidArgument("no store folder given");
  if (options.rules_file.empty()) return Status::InvalidArgument("no rules file given");
  if (options.policy_file.empty()) return Status::InvalidArgument("no access policy file given");
  auto rep = std::make_unique<Rep>();
  rep->options = options;
  if (!options.font_regular.empty()) rep->fonts.regular = options.font_regular;
  if (!options.font_bold.empty()) rep->fonts.bold = options.font_bold;
  for (const std::string* font : {&rep->fonts.regular, &rep->fonts.bold})
    if (!std::ifstream(*font))
      return Status::InvalidArgument("font " + *font + " cannot be read (OfficeOptions::font_*)");
  PM_RETURN_IF_ERROR(ReadVendorKey(options, &rep->vendor_key));
  auto rules = Rules::Load(options.rules_file);
  if (!rules.ok()) return rules.status();
  rep->rules = std::move(rules).value();
  auto policy = Policy::Load(options.policy_file);
  if (!policy.ok()) return policy.status();
  rep->policy = std::move(policy).value();
  StoreOptions store_options;
  store_options.sync_commits = options.sync_commits;
  auto store = Store::Open(options.store_dir, store_options);
  if (!store.ok() && options.read_beside_writer && IsHeldByAnotherProcess(store.status())) {
    store_options.reader = true;
    store = Store::Open(options.store_dir, store_options);
  }
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

bool Office::reader() const { return rep_->store->reader(); }

Result<OfficeAccess::Backlog> OfficeAccess::BacklogOf(const Office& office) {
  const Store& store = *office.rep_->store;
  Backlog b;
  b.manual_journaling = static_cast<int64_t>(store.ScanIndex(index_keys::Unlinked()).size());
  PM_RETURN_IF_ERROR(store.Each<QuarantineEntry>([&b](QuarantineEntry q) {
    if (q.status == QuarantineStatus::kHeld) ++b.quarantine_held;
    return true;
  }));
  return b;
}

Status OfficeAccess::Require(const Office& office, const std::string& principal,
                             Permission permission, const std::string& what,
                             const std::string& purpose) {
  auto p = office.rep_->policy.Resolve(principal);
  if (!p.ok()) return p.status();
  return RequireAudited(office.rep_->store.get(), *p, permission, what, purpose);
}

Session::Session(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;
Session::~Session() = default;

const std::string& Session::principal() const { return rep_->principal.id; }

Status Session::Unmask() { return rep_->service.Unmask(); }

Result<CaseRecord> Session::RegisterCase(const CaseRegistration& r, bool* already_registered) {
  auto added = rep_->service.AddCase(r, already_registered);
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

Result<CaseRecord> Session::TransferCase(const std::string& case_id, const std::string& to,
                                         const std::string& category, const std::string& reason) {
  auto moved = rep_->service.TransferCase(case_id, to, category, reason);
  if (!moved.ok()) return moved.status();
  return RecordOf(*moved);
}

Result<CaseRecord> Session::ReturnCase(const std::string& case_id, const std::string& category,
                                       const std::string& reason) {
  auto moved = rep_->service.ReturnCase(case_id, category, reason);
  if (!moved.ok()) return moved.status();
  return RecordOf(*moved);
}

Result<std::vector<TimelineEntry>> Session::CaseTimeline(const std::string& case_id) {
  return rep_->service.Timeline(case_id);
}

Result<std::vector<CaseStatusRecord>> Session::CaseStatus(const std::string& person_or_case) {
  return rep_->service.StatusOf(person_or_case);
}

Result<std::vector<CaseRecord>> Session::CasesOfPerson(const std::string& person_id) {
  auto cases = rep_->service.SearchCases(person_id);
  if (!cases.ok()) return cases.status();
  std::vector<CaseRecord> out;
  for (const auto& c : *cases) out.push_back(RecordOf(c));
  return out;
}

Result<CoverSheetRecord> Session::IssueCoverSheet(const CoverSheetOrder& order) {
  CoverSheetRequest request;
  if (!ParseCoverSheetKind(order.kind, &request.kind))
    return Status::InvalidArgument("cover sheet kind must be application, follow_up or loose_mail");
  request.case_id = order.case_id;
  request.person_id = order.person_id;
  request.area = order.area;
  request.title = order.title;
  request.expected = order.expected;
  request.unit = order.unit;
  auto sheet = rep_->service.IssueCoverSheet(std::move(request));
  if (!sheet.ok()) return sheet.status();
  auto pdf = CoverSheetPdf(*sheet, rep_->office->rules, rep_->office->fonts);
  if (!pdf.ok()) return pdf.status();
  return RecordOf(*sheet, std::move(pdf).value());
}

Result<CoverSheetRecord> Session::ReprintCoverSheet(const std::string& cover_id) {
  auto sheet = rep_->service.ReadCoverSheet(cover_id);
  if (!sheet.ok()) return sheet.status();
  auto pdf = CoverSheetPdf(*sheet, rep_->office->rules, rep_->office->fonts);
  if (!pdf.ok()) return pdf.status();
  return RecordOf(*sheet, std::move(pdf).value());
}

Result<std::string> Session::LetterPdf(const std::string& letter_id) {
  auto print = rep_->service.ReadLetter(letter_id);
  if (!print.ok()) return print.status();
  return postmottak::LetterPdf(print->letter, print->c, print->sheet, rep_->office->rules,
                               rep_->office->fonts);
}

Result<FollowUpReport> Session::FollowUp() { return rep_->service.FollowUp(); }

Result<CoverSheetRecord> Session::IssueCoverSheet(const std::string& case_id,
                                                  const std::vector<std::string>& expected) {
  CoverSheetOrder order;
  order.case_id = case_id;
  order.expected = expected;
  return IssueCoverSheet(order);
}

OcrOptions Session::Rep::Ocr() const {
  OcrOptions ocr;
  ocr.language = office->options.ocr_language;
  ocr.tessdata = office->options.tessdata;
  return ocr;
}

IntakeOptions Session::Rep::Intake() const {
  const OfficeOptions& o = office->options;
  IntakeOptions options;
  options.principal = principal;
  options.purpose = purpose;
  options.workers = o.workers;
  options.ocr = Ocr();
  options.same_domain = office->policy.SameDomain();
  options.limits.page_seconds = o.page_seconds;
  options.limits.image.max_pixels = o.max_pixels;
  options.limits.max_file_bytes = o.max_file_bytes;
  options.limits.max_pages = o.max_pages;
  options.vendor_key = office->vendor_key;
  return options;
}

Result<IntakeSummary> Session::Intake(const std::vector<std::string>& paths,
                                      const IntakeControl& control) {
  IntakeOptions options = rep_->Intake();
  options.batch = control.batch;
  options.stop = control.stop;
  options.defer_covered_ocr = control.defer_covered_ocr;
  const RemoteWorkerOptions& remote = rep_->office->options.remote;
  if (!remote.nats_url.empty()) {
    DistributedOptions distributed;
    distributed.nats_url = remote.nats_url;
    distributed.topology.replicas = remote.replicas;
    distributed.topology.ack_wait_ms = static_cast<int64_t>(remote.ack_wait_seconds * 1000);
    distributed.max_in_flight = remote.max_in_flight;
    distributed.max_deliveries = remote.max_deliveries;
    distributed.reconnect_ms = static_cast<int64_t>(remote.reconnect_seconds * 1000);
    distributed.stall_ms = static_cast<int64_t>(remote.stall_seconds * 1000);
    options.remote_workers = [this, &options, distributed](const std::string& batch) {
      return NatsWorkers(*rep_->store(), batch, rep_->office->rules, options, distributed);
    };
  }
  if (control.on_progress)
    options.on_progress = [&control](const IntakeProgress& p) {
      control.on_progress(p.pages_done, p.pages_known);
    };
  return RunIntake(rep_->store(), rep_->office->rules, paths, options);
}

Result<std::vector<DocumentRecord>> Session::Documents(const ListWindow& window, int* total) {
  auto docs = rep_->service.ListDocuments(false, window, total);
  if (!docs.ok()) return docs.status();
  return RecordsOf(*docs);
}

Result<std::vector<DocumentRecord>> Session::ManualQueue(const ListWindow& window, int* total) {
  auto docs = rep_->service.ListDocuments(true, window, total);
  if (!docs.ok()) return docs.status();
  return RecordsOf(*docs);
}

Result<std::vector<DocumentRecord>> Session::SearchDocuments(const std::string& words) {
  auto docs = rep_->service.SearchDocuments(words);
  if (!docs.ok()) return docs.status();
  return RecordsOf(*docs);
}

Result<DocumentRecord> Session::ReadDocument(const std::string& document_id) {
  auto d = rep_->service.ReadDocument(document_id);
  if (!d.ok()) return d.status();
  return RecordOf(*d);
}

Result<std::string> Session::DocumentPdf(const std::string& document_id) {
  return rep_->service.ReadDocumentPdf(document_id);
}

Result<std::string> Session::PageImage(const std::string& document_id, int page, int max_width) {
  if (max_width < 0 || max_width > 20000)
    return Status::InvalidArgument("max_width must be from 0 (full size) to 20000 pixels");
  auto stored = rep_->service.ReadPageImage(document_id, page);
  if (!stored.ok()) return stored.status();
  auto image = DecodeImage(*stored);
  if (!image.ok())  // `postmottak verify` finds the same; say which page it is
    return Status::Corruption("document " + document_id + " page " + std::to_string(page) +
                              ": the stored image cannot be decoded: " + image.status().message());
  return EncodePng(ScaleToWidth(*image, max_width));  // 0 or wider: as stored
}

Result<DocumentRecord> Session::Link(const std::string& document_id, const std::string& case_id) {
  auto linked = rep_->service.LinkDocument(document_id, case_id);
  if (!linked.ok()) return linked.status();
  return RecordOf(*linked);
}

Result<LinkSuggestion> Session::SuggestLinks(const std::string& document_id,
                                             const std::string& person_id) {
  return rep_->service.SuggestLinks(document_id, person_id);
}

Result<TaskRecord> Session::HandOnDocument(const std::string& document_id, const std::string& unit,
                                           const std::string& reason) {
  auto t = rep_->service.HandOnDocument(document_id, unit, reason);
  if (!t.ok()) return t.status();
  return RecordOf(*t);
}

Result<DocumentRecord> Session::LinkAlso(const std::string& document_id,
                                         const std::string& case_id) {
  auto linked = rep_->service.LinkAlso(document_id, case_id);
  if (!linked.ok()) return linked.status();
  return RecordOf(*linked);
}

Result<std::vector<TaskRecord>> Session::Tasks(const TaskFilter& filter, const ListWindow& window,
                                               int* total) {
  auto tasks = rep_->service.ListTasks(filter, window, total);
  if (!tasks.ok()) return tasks.status();
  std::vector<TaskRecord> out;
  for (const auto& t : *tasks) out.push_back(RecordOf(t));
  return out;
}

Result<TaskRecord> Session::TakeTask(const std::string& task_id) {
  auto t = rep_->service.TakeTask(task_id);
  if (!t.ok()) return t.status();
  return RecordOf(*t);
}

Result<TaskRecord> Session::TakeNextTask() {
  auto t = rep_->service.TakeNextTask();
  if (!t.ok()) return t.status();
  return RecordOf(*t);
}

Result<TaskRecord> Session::ReleaseTask(const std::string& task_id) {
  auto t = rep_->service.ReleaseTask(task_id);
  if (!t.ok()) return t.status();
  return RecordOf(*t);
}

Result<TaskRecord> Session::FinishTask(const std::string& task_id) {
  auto t = rep_->service.FinishTask(task_id);
  if (!t.ok()) return t.status();
  return RecordOf(*t);
}

Result<std::vector<TaskRecord>> Session::OpenTasks(const std::string& unit) {
  TaskFilter filter;
  filter.unit = unit;
  return Tasks(filter);
}

}  // namespace postmottak
