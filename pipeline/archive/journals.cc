// The deposit's journals: the running journal (loependeJournal.xml) and the public one
// (offentligJournal.xml), both every journal entry of the deposit in journal order.
#include <algorithm>

#include "codecs/xml_writer.h"
#include "pipeline/archive/deposit_model.h"

namespace postmottak {

namespace {

constexpr char kRunning[] = "http://www.arkivverket.no/standarder/noark5/loependeJournal";
constexpr char kPublic[] = "http://www.arkivverket.no/standarder/noark5/offentligJournal";
// The public journal names no person: a welfare case's sender is screened by law.
constexpr char kScreenedName[] = "Skjermet";
constexpr char kScreening[] = "Offl. § 13 jf. fvl. § 13 første ledd nr. 1";

void FolderOf(XmlWriter& xml, const Rules& rules, const Case& c, bool screened) {
  xml.Start("saksmappe");
  xml.Element("mappeID", c.id);
  xml.Element("saksaar", c.id.substr(0, 4));
  xml.Element("sakssekvensnummer", std::to_string(std::atoi(c.id.substr(5).c_str())));
  if (!screened) xml.Element("tittel", FolderTitle(rules, c));
  xml.Element("offentligTittel", FolderTitle(rules, c));
  xml.Element("administrativEnhet", c.unit);
  xml.Element("saksansvarlig", "enhet " + c.unit);
  xml.End();
}

void EntryOf(XmlWriter& xml, const Rules& rules, const Folder& f, const Registration& r,
             bool screened) {
  const std::string title = TypeTitle(rules, r.documents.front().type);
  xml.Start("journalpost");
  xml.Element("systemID", r.system_id);
  xml.Element("journalaar", std::to_string(r.year));
  xml.Element("journalsekvensnummer", std::to_string(r.sequence));
  xml.Element("journalpostnummer", std::to_string(r.number));
  if (!screened) xml.Element("tittel", title);
  xml.Element("offentligTittel", title);
  xml.Element("journaldato", r.time.substr(0, 10));
  xml.Element("administrativEnhet", f.c.unit);
  if (screened) {
    xml.Element("tilgangsrestriksjon", "Offl. § 13");
    xml.Element("skjermingshjemmel", kScreening);
  }
  xml.Start("korrespondansepart");
  xml.Element("korrespondanseparttype", "Avsender");
  xml.Element("korrespondansepartNavn",
              screened || f.c.person_name.empty() ? kScreenedName : f.c.person_name);
  xml.End();
  xml.End();
}

}  // namespace

std::string JournaledAt(const Document& d) {
  return d.linked_at.empty() ? d.received_at : d.linked_at;
}

std::string DateTime(const std::string& t) { return t.size() == 10 ? t + "T00:00:00Z" : t; }

std::string TypeTitle(const Rules& rules, const std::string& type) {
  const DocumentTypeRule* rule = rules.DocumentType(type);
  return rule ? rule->title : "Ukjent dokumenttype";
}

std::string FolderTitle(const Rules& rules, const Case& c) {
  const AreaRule* area = rules.Area(c.area);
  return (area ? area->name : c.area) + ", sak " + c.id;
}

std::vector<std::pair<const Folder*, const Registration*>> InJournalOrder(
    const std::vector<Folder>& folders) {
  std::vector<std::pair<const Folder*, const Registration*>> all;
  for (const auto& f : folders)
    for (const auto& r : f.registrations) all.emplace_back(&f, &r);
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return std::make_pair(a.second->year, a.second->sequence) <
           std::make_pair(b.second->year, b.second->sequence);
  });
  return all;
}

Status WriteJournal(const std::vector<Folder>& folders, const Rules& rules,
                    const DepositOptions& options, bool screened) {
  const auto entries = InJournalOrder(folders);
  const std::string path =
      options.out_dir + (screened ? "/offentligJournal.xml" : "/loependeJournal.xml");
  XmlWriter xml(path);
  if (!xml.ok()) return Status::IOError("cannot write " + path);
  const char* ns = screened ? kPublic : kRunning;
  xml.Root(screened ? "offentligJournal" : "loependeJournal", ns,
           screened ? "offentligJournal.xsd" : "loependeJournal.xsd");
  xml.Start("journalhode");
  xml.Element("journalStartDato", entries.front().second->time.substr(0, 10));
  xml.Element("journalSluttDato", entries.back().second->time.substr(0, 10));
  xml.Element("antallJournalposter", std::to_string(entries.size()));
  xml.Start("arkivskaper");
  xml.Element("arkivskaperID", options.creator_id);
  xml.Element("arkivskaperNavn", options.creator_name);
  xml.End();
  xml.End();
  for (const auto& [folder, registration] : entries) {
    xml.Start("journalregistrering");
    FolderOf(xml, rules, folder->c, screened);
    EntryOf(xml, rules, *folder, *registration, screened);
    xml.End();
  }
  return xml.Finish();
}

}  // namespace postmottak
