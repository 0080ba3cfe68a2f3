// Linker: decides which case a document belongs to, or that a person must decide.
//
// A cover sheet links exactly. Without one, a document is linked only when its text
// resolves to exactly one open case: one valid person id (and no other person), or a
// case number of that person, in an area where the document type is plausible.
// Everything else is left for manual journaling, with the reason: a document on the
// wrong person's case is a privacy breach, a document in the queue is only a delay.
#ifndef POSTMOTTAK_PIPELINE_STAGES_LINKER_H_
#define POSTMOTTAK_PIPELINE_STAGES_LINKER_H_

#include <optional>
#include <string>
#include <vector>

#include "pipeline/config/rules.h"
#include "storage/records.h"
#include "storage/store.h"

namespace postmottak {

struct LinkDecision {
  std::string case_id;  // empty: manual journaling
  LinkMethod method = LinkMethod::kNone;
  std::string evidence;  // how it was linked, or why it was not (no unmasked person ids)
};

// The link of one document of a mail piece. A cover sheet links exactly, unless the
// document's text names persons and none of them is the case's: a sheet on the wrong
// person's papers is caught here rather than filed. Without a sheet, LinkByText.
LinkDecision DecideLink(const Change& change, const Rules& rules,
                        const std::optional<CoverSheet>& sheet,
                        const std::vector<std::string>& person_ids,
                        const std::vector<std::string>& case_numbers, const std::string& type);

LinkDecision LinkByCoverSheet(const Change& change, const CoverSheet& sheet);
LinkDecision LinkByText(const Change& change, const Rules& rules,
                        const std::vector<std::string>& person_ids,
                        const std::vector<std::string>& case_numbers, const std::string& type);

// A document from the scanning vendor whose metadata name a person (brukerId of
// brukertype PERSON) and perhaps an area (tema). They link only when they name exactly
// one open case (in that area; without one, where the document type fits) and the pages
// agree: the text names no other person and no other case. Anything else is left for a
// person, never guessed.
LinkDecision LinkByScanMetadata(const Change& change, const Rules& rules, const ScanMetadata& m,
                                const std::vector<std::string>& person_ids,
                                const std::vector<std::string>& case_numbers,
                                const std::string& type);
// Whether the metadata name a person (not an organisation) to link by.
bool NamesPerson(const ScanMetadata& m);

// The cover id the vendor's reference number (referansenummer) carries: the id as its
// barcode read, right-aligned in 14 digits. Empty when it carries no valid cover id.
std::string CoverIdOfReference(const std::string& reference);

// Open cases of a person, in id order.
std::vector<Case> OpenCasesOf(const Change& change, const std::string& person_id);

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_STAGES_LINKER_H_
