// Extraction: identifiers and document type from a document's OCR text.
//
// Person ids are accepted only with valid check digits, so a misread digit drops the
// id rather than naming another person. The document type comes from keyword rules
// (rules file), matched with a small edit-distance tolerance for OCR errors; a keyword
// in the first lines of a page is taken as the page's title, which also marks the page
// as the first page of a new document.
#ifndef POSTMOTTAK_PIPELINE_STAGES_EXTRACTION_H_
#define POSTMOTTAK_PIPELINE_STAGES_EXTRACTION_H_

#include <string>
#include <vector>

#include "pipeline/config/rules.h"

namespace postmottak {

struct Extraction {
  std::vector<std::string> person_ids;    // valid ids, in order of first appearance
  std::vector<std::string> case_numbers;  // "2026-000123"
  std::vector<std::string> dates;         // "24.11.2026"
  std::string document_type;              // a rules type id, or empty when none matched
  bool titled = false;                    // the type was found in the page's title lines
};

Extraction ExtractFromText(const std::string& text, const Rules& rules);

// Appends what `from` has that `to` lacks, keeping first-appearance order: how a
// document's identifiers are gathered from its pages.
void AppendUnique(std::vector<std::string>* to, const std::vector<std::string>& from);

// The text with every valid person id in it masked (the birth date stays, the rest is
// starred), written together or as "DDMMYY NNNNN": for showing OCR text to people.
std::string MaskPersonIdsIn(const std::string& text);

// Lower-cases ASCII and Norwegian letters (Æ Ø Å) in UTF-8 text.
std::string LowerNorwegian(const std::string& utf8);

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_STAGES_EXTRACTION_H_
