#include "storage/store.h"

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/options_util.h>
#include <rocksdb/write_batch.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>
#include <type_traits>

#include "codecs/sha256.h"
#include "storage/audit.h"
#include "storage/index_keys.h"

namespace postmottak {

namespace {

const char* const kFamilyNames[] = {"meta",   "cases",      "cover_sheets", "documents", "blobs",
                                    "tasks",  "quarantine", "index",        "events",    "batches",
                                    "ledger", "grants",     "tombstones"};
static_assert(std::size(kFamilyNames) == static_cast<size_t>(Family::kCount));

constexpr const char* kSchemaKey = "schema_version";
constexpr const char* kSaltKey = "audit/salt";
constexpr const char* kHeadKey = "audit/head";
// One marker per audit spool file chained in: "audit/spooled/<file name>".
constexpr const char* kSpooledPrefix = "audit/spooled/";
constexpr const char* kHeldMessage = " is held by another process";
// Written by the writer once it is fully open (its recovery done), removed when it
// closes: a reader waits for it, so that it never reads a writer's half-recovered state.
constexpr const char* kWriterReady = "writer.ready";

std::string ReadyFile(const std::string& dir) {
  return (std::filesystem::path(dir) / kWriterReady).string();
}

// The pid in the writer's ready file, when that process runs.
bool WriterReady(const std::string& dir) {
  std::ifstream in(ReadyFile(dir));
  long pid = 0;
  return in >> pid && pid > 0 && kill(static_cast<pid_t>(pid), 0) == 0;
}

int Idx(Family f) { return static_cast<int>(f); }

template <typename R>
Result<R> Decode(const std::string& bytes, const std::string& key) {
  try {
    return nlohmann::json::parse(bytes).get<R>();
  } catch (const std::exception& e) {
    return Status::Corruption("record " + key + " cannot be decoded: " + e.what());
  }
}

}  // namespace

const char* FamilyName(Family f) { return kFamilyNames[Idx(f)]; }

std::string EventKey(uint64_t seq) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%020" PRIu64, seq);
  return buf;
}

// ---- index derivation --------------------------------------------------------------

std::map<std::string, std::string> IndexEntriesOf(const Case& c) {
  return {{index_keys::PersonCases(c.person_id) + c.id, ""},
          {index_keys::UnitCases(c.unit) + c.id, ""}};
}

std::map<std::string, std::string> IndexEntriesOf(const CoverSheet& c) {
  std::map<std::string, std::string> out;
  if (!c.case_id.empty()) out[index_keys::CaseCoverSheets(c.case_id) + c.id] = "";
  return out;
}

std::map<std::string, std::string> IndexEntriesOf(const Document& d) {
  std::map<std::string, std::string> out;
  // Several documents may hold the same pages (the same pre-printed form sent by two
  // persons), so both indexes name every holder.
  if (!d.content_hash.empty()) out[index_keys::ContentHolders(d.content_hash) + d.id] = "";
  // Every stored page by its image's checksum, with its place in the document: the
  // journal asks whether the same page is held for the same case.
  for (size_t i = 0; i < d.pages.size(); ++i)
    if (!d.pages[i].sha256.empty())
      out[index_keys::PageHolders(d.pages[i].sha256) + d.id] = std::to_string(i + 1);
  if (!d.vendor.external_ref.empty())
    out[index_keys::ExternalRefDocuments(d.vendor.external_ref) + d.id] = "";
  if (d.case_id.empty()) {
    out[index_keys::Unlinked() + d.id] = "";
  } else {
    out[index_keys::CaseDocuments(d.case_id) + d.id] = "";
    for (const auto& also : d.also_cases) out[index_keys::CaseDocuments(also) + d.id] = "";
  }
  return out;
}

std::map<std::string, std::string> IndexEntriesOf(const Task& t) {
  std::map<std::string, std::string> out;
  if (!t.case_id.empty()) out[index_keys::CaseTasks(t.case_id) + t.id] = "";
  out[index_keys::UnitTasks(t.unit) + t.id] = "";
  if (t.kind == TaskKind::kNotice && !t.document_id.empty())
    out[index_keys::DocumentNotices(t.document_id) + t.id] = "";
  return out;
}

std::map<std::string, std::string> IndexEntriesOf(const QuarantineEntry& q) {
  return {{index_keys::BatchQuarantine(q.batch) + q.id, ""}};
}

std::map<std::string, std::string> IndexEntriesOf(const Batch& b) {
  std::map<std::string, std::string> out;
  for (size_t i = 0; i < b.files.size(); ++i)
    if (!b.files[i].sha256.empty())
      out[index_keys::FileCopies(b.files[i].sha256) + b.id + "/" + std::to_string(i)] =
          b.files[i].name;
  for (size_t i = 0; i < b.files.size(); ++i)
    if (!b.files[i].vendor.external_ref.empty())
      out[index_keys::VendorFiles(b.files[i].vendor.external_ref) + b.id + "/" +
          std::to_string(i)] = b.files[i].name;
  return out;
}

std::map<std::string, std::string> IndexEntriesOf(const LedgerEntry&) { return {}; }

std::map<std::string, std::string> IndexEntriesOf(const Grant& g) {
  return {{index_keys::CaseGrants(g.case_id) + g.id, g.principal}};
}

std::map<std::string, std::string> IndexEntriesOf(const Tombstone& t) {
  std::map<std::string, std::string> out{{index_keys::Tombstones("case") + t.id, ""}};
  for (const auto& d : t.documents) out[index_keys::Tombstones("document") + d.id] = t.id;
  for (const auto& id : t.cover_sheets) out[index_keys::Tombstones("cover_sheet") + id] = t.id;
  for (const auto& id : t.tasks) out[index_keys::Tombstones("task") + id] = t.id;
  return out;
}

// The audit trail by case, by person pseudonym and by principal: what `audit show`
// answers from without reading the whole trail.
std::map<std::string, std::string> IndexEntriesOf(const Event& e) {
  const std::string seq = EventKey(e.seq);
  std::map<std::string, std::string> out{{index_keys::AuditByPrincipal(e.principal) + seq, ""}};
  if (!e.case_id.empty()) out[index_keys::AuditByCase(e.case_id) + seq] = "";
  if (!e.person.empty()) out[index_keys::AuditByPerson(e.person) + seq] = "";
  return out;
}

// ---- Change ------------------------------------------------------------------------

Change::Change(Store* store, Principal principal, std::string purpose)
    : store_(store),
      lock_(store->writer_),
      read_failures_at_begin_(store->read_failures_.load()),
      principal_(std::move(principal)),
      purpose_(std::move(purpose)) {}

Change::Change(Change&& o) noexcept
    : store_(o.store_),
      lock_(std::move(o.lock_)),
      read_failures_at_begin_(o.read_failures_at_begin_),
      principal_(std::move(o.principal_)),
      purpose_(std::move(o.purpose_)),
      events_(std::move(o.events_)),
      committed_(o.committed_) {
  for (int i = 0; i < Idx(Family::kCount); ++i) pending_[i] = std::move(o.pending_[i]);
}

Change::~Change() = default;

std::optional<std::string> Change::Read(Family f, const std::string& key) const {
  auto it = pending_[Idx(f)].find(key);
  if (it != pending_[Idx(f)].end()) return it->second;
  return store_->Read(f, key);
}

void Change::Write(Family f, const std::string& key, std::optional<std::string> value) {
  pending_[Idx(f)][key] = std::move(value);
}

template <typename R>
Result<R> Change::Get(const std::string& id) const {
  const Family f = RecordTraits<R>::kFamily;
  auto it = pending_[Idx(f)].find(id);
  if (it == pending_[Idx(f)].end()) return store_->Get<R>(id);
  if (!it->second)
    return Status::NotFound(std::string(kFamilyNames[Idx(f)]) + " has no record " + id);
  return Decode<R>(*it->second, id);
}

template <typename R>
void Change::ReplaceIndexEntries(const std::optional<R>& old_record, const R& record) {
  auto next = IndexEntriesOf(record);
  if (old_record) {
    for (const auto& [key, value] : IndexEntriesOf(*old_record))
      if (!next.count(key)) Write(Family::kIndex, key, std::nullopt);
  }
  for (auto& [key, value] : next) Write(Family::kIndex, key, value);
}

template <typename R>
void Change::Put(const R& record) {
  std::optional<R> old_record;
  if (auto old = Get<R>(record.id); old.ok()) old_record = std::move(old).value();
  ReplaceIndexEntries(old_record, record);
  Write(RecordTraits<R>::kFamily, record.id, nlohmann::json(record).dump());
}

template <typename R>
void Change::Delete(const std::string& id) {
  auto old = Get<R>(id);
  if (old.ok())
    for (const auto& [key, value] : IndexEntriesOf(*old)) Write(Family::kIndex, key, std::nullopt);
  Write(RecordTraits<R>::kFamily, id, std::nullopt);
}

void Change::DeleteBlob(const std::string& key) { Write(Family::kBlobs, key, std::nullopt); }

void Change::PutBlob(const std::string& key, std::string bytes) {
  Write(Family::kBlobs, key, std::move(bytes));
}

Result<std::string> Change::GetBlob(const std::string& key) const {
  auto bytes = Read(Family::kBlobs, key);
  if (!bytes) return Status::NotFound("no blob " + key);
  return *bytes;
}

std::map<std::string, std::string> Change::ScanIndex(const std::string& prefix) const {
  auto out = store_->Scan(Family::kIndex, prefix);
  const auto& pending = pending_[Idx(Family::kIndex)];
  for (auto it = pending.lower_bound(prefix);
       it != pending.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    std::string rest = it->first.substr(prefix.size());
    if (it->second) {
      out[rest] = *it->second;
    } else {
      out.erase(rest);
    }
  }
  return out;
}

uint64_t Change::NextSequence(const std::string& name) {
  std::string key = "seq/" + name;
  uint64_t value = 0;
  if (auto current = Read(Family::kMeta, key)) value = std::stoull(*current);
  ++value;
  Write(Family::kMeta, key, std::to_string(value));
  return value;
}

void Change::SetMeta(const std::string& key, const std::string& value) {
  Write(Family::kMeta, key, value);
}

void Change::DeleteMeta(const std::string& key) { Write(Family::kMeta, key, std::nullopt); }

Concerning Change::About(const std::string& case_id) const {
  Concerning about{case_id, ""};
  if (case_id.empty()) return about;
  if (auto c = Get<Case>(case_id); c.ok()) about.person_id = c->person_id;
  return about;
}

void Change::Log(const std::string& action, const std::string& object, const std::string& detail,
                 const Concerning& about) {
  Event e;
  e.time = NowUtc();
  e.principal = principal_.id;
  e.unit = principal_.unit;
  e.domain = ToString(principal_.domain);
  e.action = action;
  e.object = object;
  e.purpose = purpose_;
  e.case_id = about.case_id;
  if (!about.person_id.empty()) e.person = store_->PersonPseudonym(about.person_id);
  e.detail = detail;
  events_.push_back(std::move(e));
}

Status Change::CommitToSpool() {
  for (int f = 0; f < Idx(Family::kCount); ++f)
    if (!pending_[f].empty())
      return Status::FailedPrecondition(
          "store " + store_->dir_ + kHeldMessage +
          " (a server or an intake): this command writes, so run it through that process or "
          "once it is done");
  if (!store_->spool_) store_->spool_ = std::make_unique<AuditSpoolWriter>(store_->dir_);
  PM_RETURN_IF_ERROR(store_->spool_->Append(events_));
  committed_ = true;
  if (lock_.owns_lock()) lock_.unlock();
  return Status::OK();
}

std::vector<std::string> Change::ChainSpool() {
  const auto now = std::chrono::steady_clock::now();
  if (now < store_->next_spool_check_) return {};
  store_->next_spool_check_ = now + store_->options_.spool_interval;
  // The folder is listed once; a file chained before (only its removal failed) is not
  // read again.
  const std::vector<std::string> present = SpoolFileNames(store_->dir_);
  std::vector<std::string> taken;
  std::vector<SpooledFile> fresh;
  for (const auto& name : present) {
    if (!SpoolFileFinished(name)) continue;
    taken.push_back(name);
    const std::string marker = kSpooledPrefix + name;
    if (Read(Family::kMeta, marker)) continue;
    Write(Family::kMeta, marker, NowUtc());
    fresh.push_back(ReadSpoolFile(store_->dir_, name));
  }
  OldestFirst(&fresh);
  std::vector<Event> adopted;
  for (auto& file : fresh) {
    for (auto& e : file.events) adopted.push_back(std::move(e));
    if (file.damaged_lines > 0)
      Log("audit_spool_damaged", "audit_spool/" + file.name,
          std::to_string(file.damaged_lines) +
              " lines could not be read: a reader ended mid-write");
  }
  // Markers of files removed since: no longer needed.
  for (const auto& [name, unused] : store_->Scan(Family::kMeta, kSpooledPrefix))
    if (!std::binary_search(present.begin(), present.end(), name))
      Write(Family::kMeta, kSpooledPrefix + name, std::nullopt);
  // The readers' entries happened before this change's own.
  events_.insert(events_.begin(), std::make_move_iterator(adopted.begin()),
                 std::make_move_iterator(adopted.end()));
  return taken;
}

Status Change::Commit() {
  if (committed_) return Status::FailedPrecondition("change committed twice");
  PM_RETURN_IF_ERROR(CheckPrincipal(principal_));
  if (store_->read_failures_.load() != read_failures_at_begin_)
    return store_->LastReadFailure().WithContext(
        "nothing written: a read failed during the change");
  if (store_->reader()) return CommitToSpool();
  const std::vector<std::string> spooled = ChainSpool();
  // The writer lock is held, so the head read here is the last committed entry.
  uint64_t head_seq = 0;
  std::string head_hash = kAuditGenesis;
  if (auto head = Read(Family::kMeta, kHeadKey)) {
    try {
      auto j = nlohmann::json::parse(*head);
      head_seq = j.at("seq").get<uint64_t>();
      head_hash = j.at("hash").get<std::string>();
    } catch (const std::exception&) {
      return Status::Corruption("the audit head in " + store_->dir_ +
                                " cannot be decoded; run `postmottak audit verify`");
    }
  }
  for (auto& e : events_) {
    e.seq = ++head_seq;
    e.prev = head_hash;
    e.hash = EventHash(e);
    head_hash = e.hash;
    Write(Family::kEvents, EventKey(e.seq),
          nlohmann::json(e).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    for (auto& [key, value] : IndexEntriesOf(e)) Write(Family::kIndex, key, value);
  }
  if (!events_.empty())
    Write(Family::kMeta, kHeadKey, nlohmann::json{{"seq", head_seq}, {"hash", head_hash}}.dump());
  rocksdb::WriteBatch batch;
  for (int f = 0; f < Idx(Family::kCount); ++f) {
    for (const auto& [key, value] : pending_[f]) {
      rocksdb::Status s = value ? batch.Put(store_->handles_[f], key, *value)
                                : batch.Delete(store_->handles_[f], key);
      if (!s.ok()) return Status::IOError("write batch: " + s.ToString());
    }
  }
  rocksdb::WriteOptions wo;
  wo.sync = store_->options_.sync_commits;
  rocksdb::Status s = store_->db_->Write(wo, &batch);
  if (!s.ok()) return Status::IOError("commit to " + store_->dir_ + ": " + s.ToString());
  committed_ = true;
  if (lock_.owns_lock()) lock_.unlock();
  for (const auto& name : spooled) RemoveSpoolFile(store_->dir_, name);
  return Status::OK();
}

// ---- Store -------------------------------------------------------------------------

Result<std::unique_ptr<Store>> Store::Open(const std::string& dir, const StoreOptions& options) {
  rocksdb::Options db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  // Bounded memory whatever the batch size: one shared budget for all memtables.
  db_options.db_write_buffer_size = 64 << 20;
  db_options.max_background_jobs = 2;
  db_options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  db_options.keep_log_file_num = 3;

  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (int f = 0; f < Idx(Family::kCount); ++f) {
    rocksdb::ColumnFamilyOptions cf;
    cf.write_buffer_size = 8 << 20;
    if (f == Idx(Family::kBlobs)) {
      // Page images and PDFs are large and written once: keep them out of the LSM tree.
      cf.enable_blob_files = true;
      cf.min_blob_size = 4096;
      cf.write_buffer_size = 32 << 20;
    }
    families.emplace_back(f == 0 ? rocksdb::kDefaultColumnFamilyName : kFamilyNames[f], cf);
  }
  // The default column family doubles as "meta": RocksDB always has one.
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IOError("cannot create store directory " + dir + ": " + ec.message());
  std::unique_ptr<Store> store(new Store());
  store->dir_ = dir;
  store->options_ = options;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s;
  if (options.reader) {
    // The writer holds the lock from the start of its recovery; wait until it is done.
    for (int i = 0; i < 500 && !WriterReady(dir); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    PM_RETURN_IF_ERROR(store->OpenSecondary(db_options, families, &raw));
  } else {
    s = rocksdb::DB::Open(db_options, dir, families, &store->handles_, &raw);
    if (s.IsIOError() && s.ToString().find("LOCK") != std::string::npos)
      return Status::FailedPrecondition("store " + dir + kHeldMessage + ": " + s.ToString());
    if (!s.ok()) return Status::IOError("cannot open store " + dir + ": " + s.ToString());
  }
  store->db_.reset(raw);

  auto version = store->GetMeta(kSchemaKey);
  for (int i = 0; i < 20 && !version && options.reader; ++i) {
    // Belt and braces: a view without the schema is a writer caught mid-recovery.
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    store->CatchUp().IgnoreError();  // the schema read right after says whether it helped
    version = store->GetMeta(kSchemaKey);
  }
  if (!version && options.reader) {
    return Status::FailedPrecondition("store " + dir + " is not initialised yet");
  } else if (!version) {
    // A new store: its schema and the salt of its person pseudonyms, 32 random bytes.
    std::ifstream urandom("/dev/urandom", std::ios::binary);
    std::string random(32, '\0');
    if (!urandom.read(random.data(), random.size()))
      return Status::IOError("cannot read /dev/urandom for the audit salt of " + dir);
    rocksdb::WriteBatch init;
    init.Put(store->handles_[0], kSaltKey, Sha256Hex(random));
    init.Put(store->handles_[0], kSchemaKey, std::to_string(kSchemaVersion));
    rocksdb::WriteOptions wo;
    wo.sync = true;
    s = store->db_->Write(wo, &init);
    if (!s.ok()) return Status::IOError("cannot initialise store " + dir + ": " + s.ToString());
  } else if (*version != std::to_string(kSchemaVersion)) {
    return Status::FailedPrecondition("store " + dir + " has schema version " + *version +
                                      ", this build reads version " +
                                      std::to_string(kSchemaVersion));
  }
  auto salt = store->GetMeta(kSaltKey);
  if (!salt || salt->size() != 64)
    return Status::Corruption("store " + dir + " has lost its audit salt (meta key audit/salt)");
  store->salt_ = *salt;
  if (!options.reader) {
    std::ofstream ready(ReadyFile(dir), std::ios::trunc);
    ready << getpid() << "\n";
  }
  return store;
}

Status Store::OpenSecondary(const rocksdb::Options& base,
                            const std::vector<rocksdb::ColumnFamilyDescriptor>& families,
                            rocksdb::DB** raw) {
  rocksdb::Options options = base;
  options.create_if_missing = false;
  options.create_missing_column_families = false;
  options.max_open_files = -1;  // a secondary instance keeps every table file open
  std::string tmpl = (std::filesystem::temp_directory_path() / "postmottak-reader-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) return Status::IOError("cannot make a folder for a reader of " + dir_);
  secondary_dir_ = tmpl;
  // The writer may be rotating its MANIFEST at the moment we read it (it does when it
  // opens, and as it flushes): a short retry rides that out.
  rocksdb::Status s;
  for (int attempt = 0; attempt < 8; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(25 * attempt));
    handles_.clear();
    s = rocksdb::DB::OpenAsSecondary(options, dir_, secondary_dir_, families, &handles_, raw);
    if (s.ok()) return Status::OK();
  }
  return Status::IOError("cannot open store " + dir_ + " as a reader: " + s.ToString());
}

Status Store::CatchUp() {
  if (!reader()) return Status::OK();
  rocksdb::Status s = db_->TryCatchUpWithPrimary();
  return s.ok()
             ? Status::OK()
             : Status::IOError("cannot catch up with the writer of " + dir_ + ": " + s.ToString());
}

bool IsHeldByAnotherProcess(const Status& status) {
  return status.IsFailedPrecondition() && status.message().find(kHeldMessage) != std::string::npos;
}

Store::~Store() {
  if (db_ && !options_.reader) {
    std::error_code ec;
    std::filesystem::remove(ReadyFile(dir_), ec);
  }
  if (db_) {
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
    db_->Close();
    db_.reset();
  }
  spool_.reset();  // finishes its file: the writer may chain it in now
  if (!secondary_dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(secondary_dir_, ec);
  }
}

Change Store::BeginChange(const Principal& principal, std::string purpose) {
  return Change(this, principal, std::move(purpose));
}

std::string Store::PersonPseudonym(const std::string& person_id) const {
  return Sha256Hex(salt_ + ":" + person_id).substr(0, 32);
}

std::string Store::Identity() const {
  std::string id;
  if (!db_->GetDbIdentity(id).ok()) return "";
  while (!id.empty() && (id.back() == '\n' || id.back() == ' ')) id.pop_back();
  return id;
}

Status Store::NoteReadFailure(const std::string& what, const std::string& why) const {
  Status failure = Status::IOError("reading " + what + " of " + dir_ + ": " + why);
  std::lock_guard<std::mutex> lock(read_failure_mu_);
  last_read_failure_ = failure.message();
  ++read_failures_;
  return failure;
}

Status Store::LastReadFailure() const {
  std::lock_guard<std::mutex> lock(read_failure_mu_);
  return Status::IOError(last_read_failure_);
}

Status Store::ReadValue(Family f, const std::string& key, std::string* value) const {
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), handles_[Idx(f)], key, value);
  if (s.ok()) return Status::OK();
  if (s.IsNotFound())
    return Status::NotFound(std::string(kFamilyNames[Idx(f)]) + " has no record " + key);
  return NoteReadFailure(std::string(FamilyName(f)) + " " + key, s.ToString());
}

std::optional<std::string> Store::Read(Family f, const std::string& key) const {
  std::string value;
  if (!ReadValue(f, key, &value).ok()) return std::nullopt;
  return value;
}

std::map<std::string, std::string> Store::Scan(Family f, const std::string& prefix) const {
  std::map<std::string, std::string> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), handles_[Idx(f)]));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next())
    out.emplace(it->key().ToString().substr(prefix.size()), it->value().ToString());
  if (!it->status().ok())
    NoteReadFailure(std::string(FamilyName(f)), it->status().ToString()).IgnoreError();
  return out;
}

template <typename R>
Result<R> Store::Get(const std::string& id) const {
  std::string bytes;
  PM_RETURN_IF_ERROR(ReadValue(RecordTraits<R>::kFamily, id, &bytes));
  return Decode<R>(bytes, id);
}

template <typename R>
Result<std::vector<R>> Store::List(const std::string& prefix) const {
  std::vector<R> out;
  PM_RETURN_IF_ERROR(Each<R>(
      [&out](R r) {
        out.push_back(std::move(r));
        return true;
      },
      prefix));
  return out;
}

template <typename R>
Status Store::Each(const std::function<bool(R)>& fn, const std::string& prefix) const {
  return ForEach(RecordTraits<R>::kFamily, prefix,
                 [&fn](const std::string& key, const std::string& bytes) {
                   auto r = Decode<R>(bytes, key);
                   return !r.ok() || fn(std::move(r).value());
                 });
}

Status Store::ForEach(Family f, const std::string& prefix,
                      const std::function<bool(const std::string&, const std::string&)>& fn) const {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), handles_[Idx(f)]));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next())
    if (!fn(it->key().ToString(), it->value().ToString())) break;
  if (!it->status().ok()) return NoteReadFailure(FamilyName(f), it->status().ToString());
  return Status::OK();
}

Result<std::string> Store::GetBlob(const std::string& key) const {
  auto bytes = Read(Family::kBlobs, key);
  if (!bytes) return Status::NotFound("no blob " + key);
  return *bytes;
}

std::map<std::string, std::string> Store::ScanIndex(const std::string& prefix) const {
  return Scan(Family::kIndex, prefix);
}

std::optional<std::string> Store::GetMeta(const std::string& key) const {
  return Read(Family::kMeta, key);
}

Result<Event> Store::GetEvent(const std::string& key) const {
  auto bytes = Read(Family::kEvents, key);
  if (!bytes) return Status::NotFound("no audit entry " + key);
  return Decode<Event>(*bytes, key);
}

std::vector<Event> Store::ListEvents() const {
  std::vector<Event> out;
  for (const auto& [key, bytes] : Scan(Family::kEvents, "")) {
    auto e = Decode<Event>(bytes, key);
    if (e.ok()) out.push_back(std::move(e).value());
  }
  return out;
}

Status Store::RebuildIndexes(const Principal& principal, const std::string& purpose) {
  Change change = BeginChange(principal, purpose);
  for (const auto& [key, value] : Scan(Family::kIndex, ""))
    change.Write(Family::kIndex, key, std::nullopt);
  auto add = [&](auto* type) -> Status {
    auto records = List<std::remove_pointer_t<decltype(type)>>();
    if (!records.ok()) return records.status();
    for (const auto& r : *records)
      for (auto& [key, value] : IndexEntriesOf(r)) change.Write(Family::kIndex, key, value);
    return Status::OK();
  };
  PM_RETURN_IF_ERROR(add(static_cast<Case*>(nullptr)));
  PM_RETURN_IF_ERROR(add(static_cast<CoverSheet*>(nullptr)));
  PM_RETURN_IF_ERROR(add(static_cast<Document*>(nullptr)));
  PM_RETURN_IF_ERROR(add(static_cast<Task*>(nullptr)));
  PM_RETURN_IF_ERROR(add(static_cast<QuarantineEntry*>(nullptr)));
  PM_RETURN_IF_ERROR(add(static_cast<Batch*>(nullptr)));
  PM_RETURN_IF_ERROR(add(static_cast<Grant*>(nullptr)));
  PM_RETURN_IF_ERROR(add(static_cast<Tombstone*>(nullptr)));
  PM_RETURN_IF_ERROR(
      ForEach(Family::kEvents, "", [&change](const std::string&, const std::string& bytes) {
        try {
          for (auto& [key, value] : IndexEntriesOf(nlohmann::json::parse(bytes).get<Event>()))
            change.Write(Family::kIndex, key, value);
        } catch (const std::exception&) {
          // An undecodable entry: `audit verify` reports it.
        }
        return true;
      }));
  change.Log("rebuild_indexes", "index");
  return change.Commit();
}

#define PM_INSTANTIATE(R)                                                   \
  template Result<R> Change::Get<R>(const std::string&) const;              \
  template void Change::Put<R>(const R&);                                   \
  template void Change::Delete<R>(const std::string&);                      \
  template Result<R> Store::Get<R>(const std::string&) const;               \
  template Result<std::vector<R>> Store::List<R>(const std::string&) const; \
  template Status Store::Each<R>(const std::function<bool(R)>&, const std::string&) const;
PM_INSTANTIATE(Case)
PM_INSTANTIATE(CoverSheet)
PM_INSTANTIATE(Document)
PM_INSTANTIATE(Task)
PM_INSTANTIATE(QuarantineEntry)
PM_INSTANTIATE(Batch)
PM_INSTANTIATE(LedgerEntry)
PM_INSTANTIATE(Grant)
PM_INSTANTIATE(Tombstone)
#undef PM_INSTANTIATE

}  // namespace postmottak
