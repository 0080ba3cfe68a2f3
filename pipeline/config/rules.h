// Rules: what each benefit area requires, and how each document type is recognised.
// Loaded from a JSON rules file (samples/rules.json is the shipped default); a
// malformed file is refused with the file and the offending field named.
#ifndef POSTMOTTAK_PIPELINE_CONFIG_RULES_H_
#define POSTMOTTAK_PIPELINE_CONFIG_RULES_H_

#include <map>
#include <string>
#include <vector>

#include "storage/status.h"

namespace postmottak {

struct DocumentTypeRule {
  std::string id;                     // "medical_certificate"
  std::string title;                  // "Legeerklæring": printed on cover sheets
  std::vector<std::string> keywords;  // lower-case words or phrases that name it
  std::string awaited_from;           // citizen, employer or doctor
  // A change notice (marriage, birth, death, address, income): the benefit areas whose
  // open cases of the same person get a notice when it is journaled on another case.
  std::vector<std::string> notify;
};

struct AreaRule {
  std::string code;  // AAP, SYK, ...
  std::string name;
  std::vector<std::string> required;  // document types a case cannot be decided without
  std::vector<std::string> accepts;   // further types that plausibly belong to the area
  std::vector<std::string> handover;  // the handover categories its cases may be sent with
};

// A unit a case can be handed to: its name and kind ("local_office", "back_office",
// "pension", "intake", ...), which decides the handover categories it receives.
struct UnitRule {
  std::string id;  // 4 digits
  std::string name;
  std::string kind;
};

// Why a case is handed over: the receiving unit's task. The closed list keeps a
// handover from landing wrong ("decide" goes to a deciding unit, not a local office).
struct HandoverCategory {
  std::string id;  // "decide", "assess_work_ability", ...
  std::string title;
  std::vector<std::string> to;  // unit kinds that receive it
};

// The benefit areas Postmottak knows (DOMAIN.md); SOS is the municipal one.
const std::vector<std::string>& KnownAreas();

class Rules {
 public:
  static Result<Rules> Load(const std::string& path);
  static Result<Rules> Parse(const std::string& json_text, const std::string& source_name);

  const std::string& intake_unit() const { return intake_unit_; }
  int response_days() const { return response_days_; }
  const std::vector<std::string>& return_address() const { return return_address_; }
  const AreaRule* Area(const std::string& code) const;
  const DocumentTypeRule* DocumentType(const std::string& id) const;
  const UnitRule* Unit(const std::string& id) const;
  const std::map<std::string, UnitRule>& units() const { return units_; }
  const HandoverCategory* Category(const std::string& id) const;
  // OK when a case of `area` may be handed to `unit` with `category`; else
  // InvalidArgument naming the categories of the area, or the units that receive the
  // category.
  Status CheckHandover(const std::string& area, const std::string& unit,
                       const std::string& category) const;
  const std::map<std::string, DocumentTypeRule>& document_types() const { return types_; }
  // A document of `type` plausibly belongs to a case of `area`: it is required or
  // accepted there, or it is a change notice for the area. Unknown types are never
  // plausible.
  bool Plausible(const std::string& area, const std::string& type) const;
  // Title for a type, or the id when it is not known.
  std::string TitleOf(const std::string& type) const;
  // The JSON text these rules were parsed from: what remote workers parse again, so
  // that every worker of a run applies the same rules.
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::string intake_unit_;
  int response_days_ = 14;
  std::vector<std::string> return_address_;
  std::map<std::string, DocumentTypeRule> types_;
  std::map<std::string, AreaRule> areas_;
  std::map<std::string, UnitRule> units_;
  std::map<std::string, HandoverCategory> categories_;
};

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_CONFIG_RULES_H_
