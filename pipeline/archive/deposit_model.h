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

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_ARCHIVE_DEPOSIT_MODEL_H_
