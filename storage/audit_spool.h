// The audit spool: how a reader beside the store's writer keeps every read audited.
//
// Only one process may write a RocksDB store, and every read is an audit entry. A
// reader that runs while a server or an intake holds the store (a RocksDB secondary
// instance, StoreOptions::reader) cannot write its entries into the hash chain, so it
// appends them here: one file per reader process under <store>/audit-spool/, one JSON
// line per entry, synced to disk before the read's result is returned. The writer
// chains them in with its next commit (Change::Commit), in the same atomic write as a
// meta marker per file, so each file is chained exactly once even if removing it fails;
// the entries keep the time, principal and purpose of the read.
//
// A file is finished when its reader closed it (renamed from .part to .jsonl), or when
// the process that was writing it is gone (a .part whose pid no longer runs; a torn
// last line is counted, not guessed at).
#ifndef POSTMOTTAK_STORAGE_AUDIT_SPOOL_H_
#define POSTMOTTAK_STORAGE_AUDIT_SPOOL_H_

#include <cstdio>
#include <string>
#include <vector>

#include "storage/records.h"
#include "storage/status.h"

namespace postmottak {

std::string AuditSpoolDir(const std::string& store_dir);

// A reader process's spool file. Not thread-safe: the store's writer mutex serialises
// commits.
class AuditSpoolWriter {
 public:
  explicit AuditSpoolWriter(std::string store_dir) : store_dir_(std::move(store_dir)) {}
  ~AuditSpoolWriter();  // finishes the file: the writer may chain it in now
  AuditSpoolWriter(const AuditSpoolWriter&) = delete;
  AuditSpoolWriter& operator=(const AuditSpoolWriter&) = delete;

  // Appends the entries and syncs them to disk; IOError naming the file otherwise.
  Status Append(const std::vector<Event>& events);

 private:
  std::string store_dir_;
  std::string path_;  // "<dir>/<pid>-<ns>.part" once the first entry came
  FILE* file_ = nullptr;
};

struct SpooledFile {
  std::string name;  // file name in the spool folder
  std::vector<Event> events;
  int damaged_lines = 0;  // lines that could not be read (a reader killed mid-line)
};

// The file names in the spool folder now, finished or not, sorted.
std::vector<std::string> SpoolFileNames(const std::string& store_dir);
// Closed by its reader, or left by a process that no longer runs.
bool SpoolFileFinished(const std::string& name);
SpooledFile ReadSpoolFile(const std::string& store_dir, const std::string& name);
// By the time of each file's first entry: the order the reads happened in.
void OldestFirst(std::vector<SpooledFile>* files);
void RemoveSpoolFile(const std::string& store_dir, const std::string& name);

}  // namespace postmottak

#endif  // POSTMOTTAK_STORAGE_AUDIT_SPOOL_H_
