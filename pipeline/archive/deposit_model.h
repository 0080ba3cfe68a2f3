// The deposit as the Noark 5 writers see it: the cases (saksmapper) with their journal
// entries, numbered, and the helpers the writers share. Internal to pipeline/archive/.
#ifndef POSTMOTTAK_PIPELINE_ARCHIVE_DEPOSIT_MODEL_H_
#define POSTMOTTAK_PIPELINE_ARCHIVE_DEPOSIT_MODEL_H_

#include <string>
#include <vector>

#include "pipeline/config/rules.h"
#include "postmottak/reports.h"
#include "storage/records.h"
#include "storage/status.h"
#include "storage/store.h"

namespace postmottak {

// One journalpost: the documents of one mail piece journaled to the case.
struct Registration {
  std::string mail_piece;
  std::vector<Document> documents;
  std::string time;  // when it was journaled to the case
  int year = 0;
  int sequence = 0;  // journalsekvensnummer within the year, over the whole deposit
  int number = 0;    // journalpostnummer: its place in the case, from 1
  std::string system_id;
};

struct Folder {
  Case c;
  std::vector<Registration> registrations;
};

// Who made and archived the entries, in opprettetAv and arkivertAv: the system.
inline constexpr char kDepositedBy[] = "Postmottak";

// The document's archive variant as written under DOKUMENT/.
struct DocumentFile {
  std::string reference;  // "DOKUMENT/<id>.pdf"
  std::string sha256;
  int64_t size = 0;
};

// The document's archive variant: its searchable PDF, else the PDF pages as they
// arrived, else its stored page images made one PDF. NotFound when it has no pages.
Result<std::string> ArchiveVariantOf(const Store& store, const Document& d);
// Writes the archive variant under `out_dir`/DOKUMENT/ and says what it wrote.
Result<DocumentFile> WriteDocumentFile(const Store& store, const Document& d,
                                       const std::string& out_dir);

// The arkiv's title and the arkivdel's systemID: the creator, and the period deposited.
std::string ArchiveTitle(const DepositOptions& o);
std::string ArkivdelId(const DepositOptions& o);
// The case's state in Postmottak's own terms (awaiting documentation, ready for a
// decision, closed), kept with the saksmappe as business metadata: behandlingsstatus.
std::string ProcessingStatus(CaseStatus s);

// When a document was journaled to its case: linked, else taken in.
std::string JournaledAt(const Document& d);
// xs:dateTime from our timestamps (ISO 8601 UTC already); a bare date is that day's start.
std::string DateTime(const std::string& t);
// The title of a document type of the rules.
std::string TypeTitle(const Rules& rules, const std::string& type);
// The case file's title: the benefit area and the case number, never the person.
std::string FolderTitle(const Rules& rules, const Case& c);
// Every registration of the deposit, in journal order (journalsekvensnummer).
std::vector<std::pair<const Folder*, const Registration*>> InJournalOrder(
    const std::vector<Folder>& folders);

// loependeJournal.xml (`screened` false) or offentligJournal.xml (`screened`: no person
// names or ids, only public titles), in `out_dir`.
Status WriteJournal(const std::vector<Folder>& folders, const Rules& rules,
                    const DepositOptions& options, bool screened);

// endringslogg.xml in `out_dir`: the changes made to the deposited entries after they
// were first recorded, oldest first, from the case records and the audit trail: a case
// handed to another unit, its processing status, its closing, a document journaled by
// hand from the manual queue or moved from another case, and the closing of the period
// itself at `closed_at` (so the log is never empty, as its schema requires). Returns
// how many changes it wrote.
Result<int> WriteChangeLog(const Store& store, const std::vector<Folder>& folders,
                           const DepositOptions& options, const std::string& closed_at);

// What arkivuttrekk.xml says about the package besides its files.
struct PackageFacts {
  DepositReport counts;
  std::string first_day, last_day;  // of the period deposited (YYYY-MM-DD)
  bool to_be_discarded = false;     // some case's area has a retention period
};

// arkivuttrekk.xml (ADDML 8.3) in `out_dir`: the package's creator, system and period,
// and for each XML file its SHA-256, its schemas' SHA-256 and how many entries of each
// kind it holds. Written last: it checksums the files already written.
Status WriteAddml(const DepositOptions& options, const PackageFacts& facts);

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_ARCHIVE_DEPOSIT_MODEL_H_
