// Journal: commits one mail piece to the store, atomically.
//
// In one Change: the documents with their page images, searchable PDF, text and chain
// of custody; the link decisions; manual-journaling tasks for what could not be linked;
// quarantine entries for rejected pages; the completeness evaluation of every case the
// piece touched; notices to the person's other cases (notices.h); and a ledger entry for every page
// of the piece, which is also intake's checkpoint. A crash leaves all of the piece or none of it.
//
// A file from a scanning vendor's delivery brings its metadata: they go on each
// document (the journal entry's channel, date received, endorser, post box and the
// external reference), and they are evidence for linking. The vendor's reference number
// stands for a cover sheet the vendor took off; its person and area link only as
// LinkByScanMetadata allows.
//
// A page whose stored image is identical to one already journaled (the same file sent
// twice, or the same pages inside another file or batch) is not journaled again: its
// ledger entry names the document that holds it. A document whose pages are all such
// duplicates is not created.
#ifndef POSTMOTTAK_PIPELINE_STAGES_JOURNAL_H_
#define POSTMOTTAK_PIPELINE_STAGES_JOURNAL_H_

#include <optional>
#include <string>
#include <vector>

#include "pipeline/config/rules.h"
#include "pipeline/stages/assembler.h"
#include "pipeline/stages/linker.h"
#include "pipeline/stages/notices.h"
#include "storage/store.h"

namespace postmottak {

struct PieceOutcome {
  int documents = 0;
  int linked_by_cover = 0;
  int linked_by_text = 0;
  int linked_by_metadata = 0;
  int manual = 0;
  int duplicates = 0;       // documents not created: every page already held
  int duplicate_pages = 0;  // pages already held by another document
  int tasks_raised = 0;
  int tasks_closed = 0;
  int notices = 0;  // raised on the person's other cases (notices.h)
  std::vector<QuarantineEntry> quarantined;
};

// Deterministic, so a page refused again after a crash or a retry finds its entry.
std::string QuarantineId(const std::string& batch, const std::string& file, int page);

class Journal {
 public:
  // Every change acts for `principal`, with the purpose "intake of batch <batch>".
  // `same_domain` decides what a notice across the state/municipal divide may say.
  Journal(Store* store, const Rules* rules, Principal principal, std::string batch,
          SameDomain same_domain = nullptr);
  Result<PieceOutcome> Commit(const MailPiece& piece);
  // A whole input file that could not be read (`page` is its page-0 stand-in, with the
  // reason in `error`): kept in quarantine, with its bytes.
  Result<QuarantineEntry> QuarantineFile(const ProcessedPage& page);
  // A file identical to one already taken in (`original`: "batch/file-index"): every
  // page is recorded as a duplicate of what became of the same page there. Returns the
  // number of ledger entries written.
  Result<int> RecordDuplicateFile(int file_index, const std::string& file,
                                  const std::string& original);

  const std::string& batch() const { return batch_; }

 private:
  // One mail piece's commit in progress: its change, what it found so far (journal.cc).
  struct Piece;
  // The steps of Commit, in order. Each writes into the piece's one change.
  void QuarantineRejected(Piece& p);
  void ResolveCoverSheet(Piece& p);
  void ResolveReference(Piece& p);
  void RecordSheetAndBlankPages(Piece& p);
  Status JournalDocument(Piece& p, const DocumentDraft& draft);
  void StoreContent(Piece& p, Document& d, const std::vector<size_t>& fresh);
  LinkDecision Decide(Piece& p, const Document& d);
  void LinkOrQueue(Piece& p, Document& d, const LinkDecision& decision);
  // The vendor's receipt of a batch file, or null for a loose scan (read once per run).
  const VendorReceipt* ReceiptOf(int file_index);
  Status EvaluateTouchedCases(Piece& p);
  Status NoticeOtherCases(Piece& p);

  QuarantineEntry Quarantine(Change& change, int file_index, const std::string& file, int page,
                             const std::string& reason, std::string bytes);
  void Record(Change& change, LedgerEntry entry);
  Store* store_;
  const Rules* rules_;
  Principal principal_;
  std::string batch_;
  std::string purpose_;
  SameDomain same_domain_;
  std::optional<Batch> batch_record_;
};

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_STAGES_JOURNAL_H_
