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
//   events        20-digit sequence -> Event (JSON): who did what, when
//   batches       batch id          -> Batch (JSON): the files intake found
//   ledger        batch/file/page   -> LedgerEntry (JSON): what became of each page
//
// Invariants:
//  * Every index entry is derived from a primary record by IndexEntriesOf(); the index
//    column family can be dropped and rebuilt from the primaries at any time.
//  * All writes go through a Change, committed as one WriteBatch: a crash leaves either
//    all of a mail piece or none of it.
//  * At most one Change is open per Store at a time (it holds the writer lock), so
//    sequence counters and read-modify-write of records need no further locking.
//    Reads through the Store itself are safe from any thread at any time.
#ifndef POSTMOTTAK_STORAGE_STORE_H_
#define POSTMOTTAK_STORAGE_STORE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "storage/records.h"
#include "storage/status.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
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

constexpr int kSchemaVersion = 1;

struct StoreOptions {
  // fsync the write-ahead log on every commit. On by default: a journaled mail piece
  // must survive a power loss once intake has reported it.
  bool sync_commits = true;
};

class Store;

// A set of writes that becomes visible atomically on Commit(). Reads through a Change
// see its own pending writes first. Destroying an uncommitted Change discards it.
class Change {
 public:
  Change(Change&&) noexcept;
  Change& operator=(Change&&) = delete;
  ~Change();

  const std::string& actor() const { return actor_; }

  template <typename R>
  Result<R> Get(const std::string& id) const;
  template <typename R>
  void Put(const R& record);
  void PutBlob(const std::string& key, std::string bytes);
  Result<std::string> GetBlob(const std::string& key) const;
  // Values of index keys under prefix, merged with pending writes, keyed by the rest
  // of the key after the prefix.
  std::map<std::string, std::string> ScanIndex(const std::string& prefix) const;
  // Next value of a named counter (1, 2, ...), persisted with this change.
  uint64_t NextSequence(const std::string& name);
  void SetMeta(const std::string& key, const std::string& value);
  void DeleteMeta(const std::string& key);
  // Appends an event by this change's actor.
  void Log(const std::string& action, const std::string& object, const std::string& detail = "");

  Status Commit();

 private:
  friend class Store;
  Change(Store* store, std::string actor);
  std::optional<std::string> Read(Family f, const std::string& key) const;
  void Write(Family f, const std::string& key, std::optional<std::string> value);
  template <typename R>
  void ReplaceIndexEntries(const std::optional<R>& old_record, const R& record);

  Store* store_;
  std::unique_lock<std::mutex> lock_;
  std::string actor_;
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

  // Opens a Change acting for actor; blocks while another Change is open.
  Change BeginChange(std::string actor);

  template <typename R>
  Result<R> Get(const std::string& id) const;
  // Every record of a type whose key starts with `prefix`, in key order. A record that
  // cannot be decoded is left out (`postmottak verify` reports it).
  template <typename R>
  std::vector<R> List(const std::string& prefix = "") const;
  // Calls fn(key, value) for every entry of a family under `prefix`, in key order, one at
  // a time (blobs are never all in memory at once) until fn returns false.
  Status ForEach(Family f, const std::string& prefix,
                 const std::function<bool(const std::string&, const std::string&)>& fn) const;
  Result<std::string> GetBlob(const std::string& key) const;
  std::map<std::string, std::string> ScanIndex(const std::string& prefix) const;
  std::optional<std::string> GetMeta(const std::string& key) const;
  std::vector<Event> ListEvents() const;

  // Drops the index column family's content and derives it again from the primary
  // records, in one atomic write.
  Status RebuildIndexes(const std::string& actor);

  const std::string& dir() const { return dir_; }

 private:
  friend class Change;
  Store() = default;
  std::optional<std::string> Read(Family f, const std::string& key) const;
  std::map<std::string, std::string> Scan(Family f, const std::string& prefix) const;

  std::string dir_;
  StoreOptions options_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::mutex writer_;
};

}  // namespace postmottak

#endif  // POSTMOTTAK_STORAGE_STORE_H_
