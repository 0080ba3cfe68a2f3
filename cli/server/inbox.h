// Inbox: continuous intake from a folder (`postmottak serve --inbox DIR`).
//
// Each folder directly in the inbox is one batch. It is taken when its manifest.json
// has arrived (and not changed for a second: senders write it last), or when none of
// its files has changed for `quiet_seconds`. A scanning vendor's delivery (a zip,
// perhaps encrypted: pipeline/vendor/opening.h) may also be dropped directly in the
// inbox: it is a batch of its own, taken when it has not changed for `quiet_seconds`. Batches are
// taken one at a time, oldest first, through the public Session::Intake, so the batch ledger makes
// every page count exactly once: a batch interrupted by a stop, a crash or kill -9 stays in the
// inbox and the next start resumes it.
//
//   <inbox>/<batch>/              waiting, or being taken in
//   <inbox>/.taken/<batch>/       taken in (moved aside when its intake finished)
//   <inbox>/.refused/<batch>/     refused as a whole, files untouched, with
//   <inbox>/.refused/<batch>.reason.txt   why (a malformed manifest, say)
//   <inbox>/.jobs/<batch>.json    who put the batch there, when not the inbox's own
//                                 principal (an upload through the API)
//   <inbox>/.uploads/             uploads being received; never taken
//
// A refused page or file inside a batch goes to quarantine as with `intake`; only a
// batch that cannot be taken at all is refused whole. Names starting with '.' are the
// inbox's own and never taken.
//
// Threads: Run() on one thread of its own; everything else from any thread.
#ifndef POSTMOTTAK_CLI_SERVER_INBOX_H_
#define POSTMOTTAK_CLI_SERVER_INBOX_H_

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "postmottak/office.h"

namespace postmottak {

struct InboxOptions {
  std::string dir;                           // empty: no inbox
  std::string principal = "service:intake";  // intake of dropped batches is done as it
  int quiet_seconds = 30;  // a folder without manifest is taken this long after its last change
  int poll_milliseconds = 1000;
};

// What the inbox has done since the process started, for /metrics and /readyz.
struct InboxCounters {
  int64_t batches_taken = 0;
  int64_t batches_refused = 0;
  int64_t pages_taken = 0;        // pages read and accounted for by this process
  int64_t quarantined = 0;        // inputs sent to quarantine by its intakes
  int64_t manual_journaling = 0;  // documents its intakes left for manual journaling
  int batches_waiting = 0;        // folders in the inbox, the one in hand included
  std::string batch_in_hand;      // the folder being taken in, if any
  int pages_in_hand = 0;          // its pages committed so far this run
  double pages_per_second = 0;    // of the batch in hand, else the last one taken
};

class Inbox {
 public:
  // Creates the inbox's own folders. InvalidArgument when `dir` is not a folder.
  static Result<std::unique_ptr<Inbox>> Open(Office* office, const InboxOptions& options);

  // Takes ready batches until `stop` is set. A batch in hand then is interrupted after
  // the pages in flight are committed and left in the inbox for the next start.
  void Run(const std::atomic<bool>& stop);

  // A folder prepared elsewhere on the same file system (an upload) is put into the
  // inbox under `name`, to be taken as `principal` for `purpose`. AlreadyExists when the
  // inbox holds that name.
  Status Deliver(const std::string& staged_folder, const std::string& name,
                 const std::string& principal, const std::string& purpose);

  // Where uploads are written before Deliver(): on the inbox's file system.
  std::string staging_dir() const;
  const std::string& dir() const { return options_.dir; }
  InboxCounters counters() const;

 private:
  struct Job {
    std::string name, principal, purpose;
  };
  Inbox(Office* office, InboxOptions options);
  std::vector<std::string> ReadyFolders(std::vector<std::string>* waiting) const;
  Job JobFor(const std::string& name) const;
  void Take(const std::string& name, const std::atomic<bool>& stop);
  void Refuse(const std::string& name, const std::string& reason);
  // Moves the folder (and its job) under `to`; where it went, or nothing when it stayed.
  std::optional<std::filesystem::path> MoveAside(const std::string& name, const std::string& to);

  Office* office_;
  const InboxOptions options_;
  mutable std::mutex mu_;  // guards counters_
  InboxCounters counters_;
};

}  // namespace postmottak

#endif  // POSTMOTTAK_CLI_SERVER_INBOX_H_
