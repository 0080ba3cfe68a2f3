// Letters: what a case asks for, in writing, and how it is printed.
//
// The completeness check writes a request letter at once for everything it newly finds
// missing, one per recipient (the citizen, the employer, the doctor), each with a
// follow-up cover sheet of its own, so that whatever comes back behind it goes straight
// to the case. The letter is a record stored with the case (Case::letters): what was
// asked, of whom, by when. Printing it draws that record again, so the same letter
// prints the same bytes every time, and its cover sheet is its last page.
//
// Letters are in Norwegian bokmål, and show the person's name and masked id only, like
// the cover sheet: the envelope may be opened by others.
#ifndef POSTMOTTAK_PIPELINE_STAGES_LETTERS_H_
#define POSTMOTTAK_PIPELINE_STAGES_LETTERS_H_

#include <string>
#include <vector>

#include "codecs/image.h"
#include "codecs/text_raster.h"
#include "pipeline/config/rules.h"
#include "storage/records.h"
#include "storage/store.h"

namespace postmottak {

// Writes a letter of `kind` ("request" or "reminder") to `recipient` for `documents`
// on case `c` (appended to c->letters: the caller puts the case), answerable within the
// rules' response_days of `now`, with an audit entry. The cover sheet `cover_id` names
// the case; a request issues it, a reminder sends the request's again.
Letter WriteLetter(Change& change, const Rules& rules, Case* c, const std::string& kind,
                   const std::string& recipient, std::vector<std::string> documents,
                   const std::string& cover_id, const std::string& now);

// The letter's own page (8 bpp gray) at `dpi`.
Result<Image> DrawLetter(const Letter& letter, const Case& c, const Rules& rules, int dpi,
                         const Fonts& fonts = {});
// The printable letter: its page, then its cover sheet; bitonal A4, 300 dpi.
Result<std::string> LetterPdf(const Letter& letter, const Case& c, const CoverSheet& sheet,
                              const Rules& rules, const Fonts& fonts = {});

// "1. desember 2026" for "2026-12-01" (or an ISO 8601 time); the input when not a date.
std::string BokmalDate(const std::string& date);

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_STAGES_LETTERS_H_
