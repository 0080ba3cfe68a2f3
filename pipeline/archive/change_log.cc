// The deposit's change log (endringslogg.xml, Noark 5 v5.0): what changed in the
// deposited entries after they were first recorded, so that the archive can see a
// value that is not the first one, when it changed and who changed it.
//
// Every change comes from something the store already holds: a handover is on the case
// record; status changes, the closing and the links made by hand are on the case's own
// audit entries (the audit_case index), which the audit chain protects. Nothing here
// is reconstructed from the present state, so what the log says happened did happen.
#include <algorithm>
#include <map>
#include <regex>
#include <tuple>

#include "codecs/xml_writer.h"
#include "pipeline/archive/deposit_model.h"
#include "pipeline/archive/noark5.h"
#include "storage/index_keys.h"

namespace postmottak {

namespace {

constexpr char kEndringslogg[] = "http://www.arkivverket.no/standarder/noark5/endringslogg";

// Noark 5's values for what changed (M052 saksstatus, M053 journalstatus, M051
// arkivdelstatus).
constexpr char kInProgress[] = "Under behandling";
constexpr char kClosed[] = "Avsluttet";
constexpr char kProvisional[] = "Midlertidig registrering av innkommet dokument";
constexpr char kJournaled[] = "Journalført";

struct MetadataChange {
  std::string entity;    // referanseArkivenhet: the systemID of what changed
  std::string metadata;  // referanseMetadata: the metadata element's name
  std::string at;        // endretDato
  std::string by;        // endretAv: a principal id, never a person id
  std::string before;    // tidligereVerdi
  std::string after;     // nyVerdi
};

// The case a document was moved from, as the link's audit entry says: "case X (was Y)".
std::string MovedFrom(const std::string& detail) {
  static const std::regex was(R"(\(was ([^)\s]+)\))");
  std::smatch m;
  return std::regex_search(detail, m, was) ? m[1].str() : std::string();
}

Result<CaseStatus> StatusNamed(const std::string& name) {
  for (CaseStatus s :
       {CaseStatus::kAwaitingDocumentation, CaseStatus::kReadyForDecision, CaseStatus::kClosed})
    if (ToString(s) == name) return s;
  return Status::Corruption("unknown case status \"" + name + "\" on the audit trail");
}

class CaseHistory {
 public:
  CaseHistory(const Folder& f, std::vector<MetadataChange>* out)
      : f_(f), folder_id_(StableUuid("saksmappe/" + f.c.id)), out_(*out) {
    for (const auto& r : f.registrations)
      for (const auto& d : r.documents) registration_of_[d.id] = &r;
  }

  void Handovers() {
    for (const auto& h : f_.c.handovers)
      Add(folder_id_, "administrativEnhet", h.at, h.by, h.from, h.to);
  }

  Status Read(const Event& e) {
    if (e.action == "case_status") {
      auto s = StatusNamed(e.detail);
      if (!s.ok()) return s.status();
      Processing(e, ProcessingStatus(*s));
    } else if (e.action == "close_case") {
      Add(folder_id_, "saksstatus", e.time, e.principal, kInProgress, kClosed);
      Processing(e, ProcessingStatus(CaseStatus::kClosed));
    } else if (e.action == "link_document") {
      Linked(e);
    }
    return Status::OK();
  }

 private:
  void Add(const std::string& entity, const std::string& metadata, const std::string& at,
           const std::string& by, const std::string& before, const std::string& after) {
    // The schema wants every field; a record too old to say one has nothing to log.
    if (at.empty() || before.empty() || after.empty()) return;
    out_.push_back({entity, metadata, DateTime(at), by.empty() ? kDepositedBy : by, before, after});
  }

  void Processing(const Event& e, const std::string& now) {
    if (now == processing_) return;
    Add(folder_id_, "virksomhetsspesifikkeMetadata/behandlingsstatus", e.time, e.principal,
        processing_, now);
    processing_ = now;
  }

  // A document journaled by hand: from the manual queue, its journal entry was
  // provisional until then; from another case, it moved between journal entries.
  void Linked(const Event& e) {
    const std::string document = e.object.substr(e.object.find('/') + 1);
    auto it = registration_of_.find(document);
    if (it == registration_of_.end()) return;  // not deposited (another period)
    const Registration& r = *it->second;
    const std::string from = MovedFrom(e.detail);
    if (!from.empty() && from != f_.c.id) {
      Add(StableUuid("dokumentbeskrivelse/" + document), "referanseTilRegistrering", e.time,
          e.principal, StableUuid("journalpost/" + from + "/" + r.mail_piece), r.system_id);
    } else if (from.empty() && r.documents.front().id == document) {
      Add(r.system_id, "journalstatus", e.time, e.principal, kProvisional, kJournaled);
    }
  }

  const Folder& f_;
  const std::string folder_id_;
  std::vector<MetadataChange>& out_;
  std::map<std::string, const Registration*> registration_of_;
  // A new case awaits its documentation (CaseStatus's first value).
  std::string processing_ = ProcessingStatus(CaseStatus::kAwaitingDocumentation);
};

Result<std::vector<MetadataChange>> ChangesOf(const Store& store,
                                              const std::vector<Folder>& folders,
                                              const DepositOptions& o,
                                              const std::string& closed_at) {
  std::vector<MetadataChange> out;
  // The period was open while its mail was journaled; the deposit closes it.
  out.push_back({ArkivdelId(o), "arkivdelstatus", DateTime(closed_at), kDepositedBy,
                 "Aktiv periode", "Avsluttet periode"});
  for (const auto& f : folders) {
    CaseHistory history(f, &out);
    history.Handovers();
    for (const auto& [seq, unused] : store.ScanIndex(index_keys::AuditByCase(f.c.id))) {
      auto e = store.GetEvent(seq);
      if (!e.ok()) return e.status();  // `audit verify` says which entry and why
      PM_RETURN_IF_ERROR(history.Read(*e));
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const MetadataChange& a, const MetadataChange& b) {
    return std::tie(a.at, a.entity, a.metadata) < std::tie(b.at, b.entity, b.metadata);
  });
  return out;
}

}  // namespace

std::string ProcessingStatus(CaseStatus s) {
  switch (s) {
    case CaseStatus::kAwaitingDocumentation:
      return "Venter på dokumentasjon";
    case CaseStatus::kReadyForDecision:
      return "Klar til vedtak";
    case CaseStatus::kClosed:
      return kClosed;
  }
  return "Ukjent";
}

Result<int> WriteChangeLog(const Store& store, const std::vector<Folder>& folders,
                           const DepositOptions& options, const std::string& closed_at) {
  auto changes = ChangesOf(store, folders, options, closed_at);
  if (!changes.ok()) return changes.status();
  const std::string path = options.out_dir + "/endringslogg.xml";
  XmlWriter xml(path);
  if (!xml.ok()) return Status::IOError("cannot write " + path);
  xml.Root("endringslogg", kEndringslogg, "endringslogg.xsd");
  for (const auto& c : *changes) {
    xml.Start("endring");
    xml.Element("referanseArkivenhet", c.entity);
    xml.Element("referanseMetadata", c.metadata);
    xml.Element("endretDato", c.at);
    xml.Element("endretAv", c.by);
    xml.Element("tidligereVerdi", c.before);
    xml.Element("nyVerdi", c.after);
    xml.End();
  }
  PM_RETURN_IF_ERROR(xml.Finish());
  return static_cast<int>(changes->size());
}

}  // namespace postmottak
