// The embedded store: one RocksDB database with a column family per kind of record.
//
// Layout (see docs/architecture.md for key formats):
//   meta          schema version, sequence counters, resumable-job checkpoints
//   cases         case id           -> Case (JSON)
//   cover_sheets  cover id          -> CoverSheet (JSON)
//   documents     document id       -> Document (JSON)
//   blobs         blob key          -> bytes (page images, PDFs); BlobDB files
//   tasks         task id           -> Task (JSON)
//   quarantine    quarantine id     -> QuarantineEntry (JSON)
//   index         derived keys      -> value (person -> cases, hash -> document, ...)
//   events        20-digit sequence -> Event (JSON): the hash-chained audit trail
//   batches       batch id          -> Batch (JSON): the files intake found
//   ledger        batch/file/page   -> LedgerEntry (JSON): what became of each page
//   grants        grant id          -> Grant (JSON): access to one case for one principal
//   tombstones    case id           -> Tombstone (JSON): what retention deleted
//
// Invariants:
//  * Every index entry is derived from a primary record by IndexEntriesOf(); the index
//    column family can be dropped and rebuilt from the primaries at any time.
//  * All writes go through a Change, committed as one WriteBatch: a crash leaves either
//    all of a mail piece or none of it.
//  * Every Change acts for a Principal with a stated purpose; it cannot commit without
//    one. Its events become audit entries chained to the entry before (meta key
//    "audit/head" holds the last one's sequence and hash). Nothing deletes or rewrites
//    an event.
//  * At most one Change is open per Store at a time (it holds the writer lock), so
//    sequence counters and read-modify-write of records need no further locking.
//    Reads through the Store itself are safe from any thread at any time.
#ifndef POSTMOTTAK_STORAGE_STORE_H_
#define POSTMOTTAK_STORAGE_STORE_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "storage/audit_spool.h"
#include "storage/principal.h"
#include "storage/records.h"
#include "storage/status.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
struct ColumnFamilyDescriptor;
struct Options;
}  // namespace rocksdb

namespace postmottak {

enum class Family {
  kMeta = 0,
  kCases,
  kCoverSheets,
  kDocuments,
  kBlobs,
  kTasks,
  kQuarantine,
  kIndex,
  kEvents,
  kBatches,
  kLedger,
  kGrants,
  kTombstones,
  kCount
};

// Which column family holds each record type, and its primary key.
template <typename R>
struct RecordTraits;
template <>
struct RecordTraits<Case> {
  static constexpr Family kFamily = Family::kCases;
};
template <>
struct RecordTraits<CoverSheet> {
  static constexpr Family kFamily = Family::kCoverSheets;
};
template <>
struct RecordTraits<Document> {
  static constexpr Family kFamily = Family::kDocuments;
};
template <>
struct RecordTraits<Task> {
  static constexpr Family kFamily = Family::kTasks;
};
template <>
struct RecordTraits<QuarantineEntry> {
  static constexpr Family kFamily = Family::kQuarantine;
};
template <>
struct RecordTraits<Batch> {
  static constexpr Family kFamily = Family::kBatches;
};
template <>
struct RecordTraits<LedgerEntry> {
  static constexpr Family kFamily = Family::kLedger;
};

template <>
struct RecordTraits<Grant> {
  static constexpr Family kFamily = Family::kGrants;
};
template <>
struct RecordTraits<Tombstone> {
  static constexpr Family kFamily = Family::kTombstones;
};

// The family's name in messages and docs (RocksDB calls "meta" "default").
const char* FamilyName(Family f);

// The index entries (key -> value) a record contributes to the index column family.
std::map<std::string, std::string> IndexEntriesOf(const Case& c);
std::map<std::string, std::string> IndexEntriesOf(const CoverSheet& c);
std::map<std::string, std::string> IndexEntriesOf(const Document& d);
std::map<std::string, std::string> IndexEntriesOf(const Task& t);
std::map<std::string, std::string> IndexEntriesOf(const QuarantineEntry& q);
std::map<std::string, std::string> IndexEntriesOf(const Batch& b);
std::map<std::string, std::string> IndexEntriesOf(const LedgerEntry& e);
std::map<std::string, std::string> IndexEntriesOf(const Grant& g);
std::map<std::string, std::string> IndexEntriesOf(const Tombstone& t);
std::map<std::string, std::string> IndexEntriesOf(const Event& e);

// "00000000000000000042": event keys, and the audit index's sequence part.
std::string EventKey(uint64_t seq);

// Version 2: audit entries are hash-chained and name a principal and purpose.
constexpr int kSchemaVersion = 2;

// What an audit entry is about, beyond its object: the case and the person concerned
// (stored as the person's pseudonym, never the id).
struct Concerning {
  std::string case_id;
  std::string person_id;
};

struct StoreOptions {
  // fsync the write-ahead log on every commit. On by default: a journaled mail piece
  // must survive a power loss once intake has reported it.
  bool sync_commits = true;
  // Open beside the process that holds the store (a server, an intake), as a RocksDB
  // secondary instance: it reads what the writer had committed when it opened
  // (CatchUp() for more). It writes no records (a Change with any is refused); the
  // audit entries of its reads go to the audit spool (storage/audit_spool.h), which the
  // writer chains in.
  bool reader = false;
  // How often the writer looks for finished audit spool files to chain in (at its first
  // commit, then at most this often).
  std::chrono::milliseconds spool_interval{2000};
};

// Store::Open's answer when another process holds the store's lock.
bool IsHeldByAnotherProcess(const Status& status);

class Store;

// A set of writes that becomes visible atomically on Commit(). Reads through a Change
// see its own pending writes first. Destroying an uncommitted Change discards it.
class Change {
 public:
  Change(Change&&) noexcept;
  Change& operator=(Change&&) = delete;
  ~Change();

  const Principal& principal() const { return principal_; }
  const std::string& purpose() const { return purpose_; }

  template <typename R>
  Result<R> Get(const std::string& id) const;
  template <typename R>
  void Put(const R& record);
  // Removes a record and its index entries (retention only; nothing else deletes).
  template <typename R>
  void Delete(const std::string& id);
  void DeleteBlob(const std::string& key);
  void PutBlob(const std::string& key, std::string bytes);
  Result<std::string> GetBlob(const std::string& key) const;
  // Values of index keys under prefix, merged with pending writes, keyed by the rest
  // of the key after the prefix.
  std::map<std::string, std::string> ScanIndex(const std::string& prefix) const;
  // Next value of a named counter (1, 2, ...), persisted with this change.
  uint64_t NextSequence(const std::string& name);
  void SetMeta(const std::string& key, const std::string& value);
  void DeleteMeta(const std::string& key);
  // What an entry about case `case_id` concerns: the case and its person (empty when
  // there is no such case).
  Concerning About(const std::string& case_id) const;
  // Appends an audit entry by this change's principal, for its purpose.
  void Log(const std::string& action, const std::string& object, const std::string& detail = "",
           const Concerning& about = {});

  // Writes everything atomically, the audit entries chained onto the trail. Refused
  // without a valid principal.
  Status Commit();

 private:
  friend class Store;
  Change(Store* store, Principal principal, std::string purpose);
  std::optional<std::string> Read(Family f, const std::string& key) const;
  void Write(Family f, const std::string& key, std::optional<std::string> value);
  template <typename R>
  void ReplaceIndexEntries(const std::optional<R>& old_record, const R& record);

  Store* store_;
  std::unique_lock<std::mutex> lock_;
  uint64_t read_failures_at_begin_;  // Commit refuses when a read failed since
  Principal principal_;
  std::string purpose_;
  // The writer: chains the finished audit spool files' entries in ahead of this
  // change's own, with a meta marker per file; returns the files to remove once
  // committed.
  std::vector<std::string> ChainSpool();
  Status CommitToSpool();
  // Pending writes per family; nullopt is a delete.
  std::map<std::string, std::optional<std::string>> pending_[static_cast<int>(Family::kCount)];
  std::vector<Event> events_;
  bool committed_ = false;
};

class Store {
 public:
  static Result<std::unique_ptr<Store>> Open(const std::string& dir,
                                             const StoreOptions& options = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Opens a Change acting for `principal` with a stated purpose; blocks while another
  // Change is open. A read that must be audited is a Change too: it logs and commits.
  Change BeginChange(const Principal& principal, std::string purpose);

  template <typename R>
  Result<R> Get(const std::string& id) const;
  // Every record of a type whose key starts with `prefix`, in key order. A record that
  // cannot be decoded is left out (`postmottak verify` reports it); a scan that fails
  // (an I/O error) fails the call, never a shorter list.
  template <typename R>
  Result<std::vector<R>> List(const std::string& prefix = "") const;
  // List() one record at a time, for scans over more records than memory should hold
  // at once (every document, for statistics); fn returns false to stop.
  template <typename R>
  Status Each(const std::function<bool(R)>& fn, const std::string& prefix = "") const;
  // Calls fn(key, value) for every entry of a family under `prefix`, in key order, one at
  // a time (blobs are never all in memory at once) until fn returns false.
  Status ForEach(Family f, const std::string& prefix,
                 const std::function<bool(const std::string&, const std::string&)>& fn) const;
  Result<std::string> GetBlob(const std::string& key) const;
  std::map<std::string, std::string> ScanIndex(const std::string& prefix) const;
  std::optional<std::string> GetMeta(const std::string& key) const;
  std::vector<Event> ListEvents() const;
  // One audit entry by its key (EventKey).
  Result<Event> GetEvent(const std::string& key) const;
  // The audit pseudonym of a person id: SHA-256 over this store's random salt and the
  // id. Lets `audit show --person` find a person's entries, also after retention has
  // deleted their cases, without writing the id itself into the trail.
  std::string PersonPseudonym(const std::string& person_id) const;
  // RocksDB's identity of this database (a UUID made when it was created): tells
  // stores apart where several share something, such as one NATS cluster.
  std::string Identity() const;

  // Drops the index column family's content and derives it again from the primary
  // records, in one atomic write.
  Status RebuildIndexes(const Principal& principal, const std::string& purpose);

  const std::string& dir() const { return dir_; }
  // Opened as a reader beside the store's writer (StoreOptions::reader).
  bool reader() const { return options_.reader; }
  // A reader: catches up with what the writer has committed since.
  Status CatchUp();

 private:
  friend class Change;
  Store() = default;
  // OK, NotFound, or the I/O error that also counts as a read failure.
  Status ReadValue(Family f, const std::string& key, std::string* value) const;
  // A failed read (not a missing key) reads as absent here, and a failed scan as shorter;
  // both count as read failures, so no Change that saw one commits.
  std::optional<std::string> Read(Family f, const std::string& key) const;
  std::map<std::string, std::string> Scan(Family f, const std::string& prefix) const;
  Status NoteReadFailure(const std::string& what, const std::string& why) const;
  Status OpenSecondary(const rocksdb::Options& options,
                       const std::vector<rocksdb::ColumnFamilyDescriptor>& families,
                       rocksdb::DB** raw);
  Status LastReadFailure() const;

  // Failed reads since opening, and the last one's message. An I/O error in the middle
  // of a change must not become a decision (an empty index, a missing audit head).
  mutable std::atomic<uint64_t> read_failures_{0};
  mutable std::mutex read_failure_mu_;
  mutable std::string last_read_failure_;

  std::string dir_;
  std::string salt_;
  StoreOptions options_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::mutex writer_;
  // A reader: its own folder for RocksDB's secondary files, and its audit spool file.
  std::string secondary_dir_;
  std::unique_ptr<AuditSpoolWriter> spool_;
  // The writer: when its next commit looks for finished spool files (at once after
  // opening, then every few seconds; guarded by writer_).
  std::chrono::steady_clock::time_point next_spool_check_{};
};

}  // namespace postmottak

#endif  // POSTMOTTAK_STORAGE_STORE_H_
