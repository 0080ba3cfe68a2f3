// Journal: commits one mail piece to the store, atomically.
//
// In one Change: the documents with their page images, searchable PDF, text and chain
// of custody; the link decisions; manual-journaling tasks for what could not be linked;
// quarantine entries for rejected pages; the completeness evaluation of every case the
// piece touched. A crash leaves all of the piece or none of it.
#ifndef POSTMOTTAK_PIPELINE_JOURNAL_H_
#define POSTMOTTAK_PIPELINE_JOURNAL_H_

#include <string>
#include <vector>

#include "pipeline/assembler.h"
#include "pipeline/rules.h"
#include "storage/store.h"

namespace postmottak {

struct PieceOutcome {
  int documents = 0;
  int linked_by_cover = 0;
  int linked_by_text = 0;
  int manual = 0;
  int duplicates = 0;
  int tasks_raised = 0;
  int tasks_closed = 0;
  std::vector<QuarantineEntry> quarantined;
};

class Journal {
 public:
  Journal(Store* store, const Rules* rules, std::string actor, std::string batch);
  Result<PieceOutcome> Commit(const MailPiece& piece);
  // A whole input file that could not be read: kept in quarantine.
  Result<QuarantineEntry> QuarantineFile(const std::string& file, const std::string& reason);

 private:
  QuarantineEntry Quarantine(Change& change, const std::string& file, int page,
                             const std::string& reason, std::string bytes);
  Store* store_;
  const Rules* rules_;
  std::string actor_;
  std::string batch_;
};

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_JOURNAL_H_
