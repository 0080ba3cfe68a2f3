// arkivuttrekk.xml: the package's description in ADDML 8.3, in the form the Noark 5
// standard gives for a deposit. The archive checks a package against it on arrival:
// each XML file's and schema's SHA-256, and how many entries of each kind a file holds.
#include <string>
#include <vector>

#include "codecs/sha256.h"
#include "codecs/xml_writer.h"
#include "pipeline/archive/deposit_model.h"

namespace postmottak {

namespace {

constexpr char kAddml[] = "http://www.arkivverket.no/standarder/addml";

// An XML file of the package, its schema and what the archive counts in it.
struct DataFile {
  std::string stem;                                 // "arkivstruktur": the .xml and its .xsd
  std::vector<std::pair<std::string, int>> counts;  // element name, occurrences
};

class AddmlWriter {
 public:
  AddmlWriter(XmlWriter* xml, const std::string& dir) : xml_(*xml), dir_(dir) {}

  void Value(const std::string& name, const std::string& value, const char* type = nullptr) {
    Open(name, type);
    xml_.Element("value", value);
    xml_.End();
  }
  // <property name=..>[<value>..</value>]<properties> ... closed by Close().
  void Group(const std::string& name, const std::string& value = "") {
    Open(name, nullptr);
    xml_.Element("value", value, /*skip_empty=*/true);
    xml_.Start("properties");
  }
  void Close() {
    xml_.End();  // properties
    xml_.End();  // property
  }

  Status File(const std::string& name) {
    auto sha = Sha256OfFile(dir_ + "/" + name);
    if (!sha.ok()) return sha.status();
    Group("file");
    Value("name", name);
    Group("format", "XML");
    Value("version", "1.0");
    Close();
    Group("checksum");
    Value("algorithm", "SHA-256");
    Value("value", *sha);
    Close();
    Close();
    return Status::OK();
  }

  Status Schema(const std::string& name, bool main) {
    Group("schema", main ? "main" : "");
    PM_RETURN_IF_ERROR(File(name));
    Group("type", "XML Schema");
    Value("version", "1.0");
    Close();
    Close();
    return Status::OK();
  }

  Status Describe(const DataFile& f) {
    xml_.Start("dataObject");
    xml_.Attribute("name", f.stem);
    xml_.Start("properties");
    PM_RETURN_IF_ERROR(File(f.stem + ".xml"));
    PM_RETURN_IF_ERROR(Schema(f.stem + ".xsd", true));
    PM_RETURN_IF_ERROR(Schema("metadatakatalog.xsd", false));  // each one imports it
    Group("info");
    for (const auto& [element, n] : f.counts) {
      Group("numberOfOccurrences", element);
      Value("elementPath", "//" + element);
      Value("value", std::to_string(n), "integer");
      Close();
    }
    Close();
    xml_.End();  // properties
    xml_.End();  // dataObject
    return Status::OK();
  }

 private:
  void Open(const std::string& name, const char* type) {
    xml_.Start("property");
    xml_.Attribute("name", name);
    if (type) xml_.Attribute("dataType", type);
  }

  XmlWriter& xml_;
  const std::string dir_;
};

void Element(XmlWriter& xml, const std::string& name, const std::string& value) {
  xml.Start("additionalElement");
  xml.Attribute("name", name);
  xml.Element("value", value);
  xml.End();
}

void Reference(XmlWriter& xml, const DepositOptions& o, const PackageFacts& facts) {
  xml.Start("reference");
  xml.Start("context");
  xml.Start("additionalElements");
  xml.Start("additionalElement");
  xml.Attribute("name", "recordCreators");
  xml.Start("additionalElements");
  Element(xml, "recordCreator", o.creator_name);
  xml.End();
  xml.End();
  Element(xml, "systemType", "Noark 5-journal for inngående post");
  Element(xml, "systemName", "Postmottak");
  Element(xml, "archive", ArchiveTitle(o));
  xml.End();  // additionalElements
  xml.End();  // context
  xml.Start("content");
  xml.Start("additionalElements");
  xml.Start("additionalElement");
  xml.Attribute("name", "archivalPeriod");
  xml.Start("properties");
  for (const auto& [name, day] :
       {std::pair{"startDate", facts.first_day}, {"endDate", facts.last_day}}) {
    xml.Start("property");
    xml.Attribute("name", name);
    xml.Element("value", day);
    xml.End();
  }
  xml.End();  // properties
  xml.End();  // additionalElement
  xml.End();  // additionalElements
  xml.End();  // content
  xml.End();  // reference
}

void PackageInfo(AddmlWriter& w, const PackageFacts& facts) {
  const auto yes = [](bool b) { return std::string(b ? "true" : "false"); };
  w.Group("info");
  w.Group("type", "Noark 5");
  w.Value("version", "5.0");
  w.Close();
  w.Group("additionalInfo");
  // Open cases go on into the next period's deposit: a soft division.
  w.Group("periode");
  w.Value("inngaaendeSkille", "mykt");
  w.Value("utgaaendeSkille", "mykt");
  w.Close();
  // Welfare mail is screened (the public journal names no one).
  w.Value("inneholderSkjermetInformasjon", yes(true), "boolean");
  w.Value("omfatterDokumenterSomErKassert", yes(false), "boolean");
  w.Value("inneholderDokumenterSomSkalKasseres", yes(facts.to_be_discarded), "boolean");
  w.Value("inneholderVirksomhetsspesifikkeMetadata", yes(true), "boolean");
  w.Value("antallDokumentfiler", std::to_string(facts.counts.files), "integer");
  w.Close();
  w.Close();
}

}  // namespace

Status WriteAddml(const DepositOptions& o, const PackageFacts& facts) {
  const DepositReport& n = facts.counts;
  const std::vector<DataFile> files = {
      {"arkivstruktur",
       {{"mappe", n.folders},
        {"registrering", n.registrations},
        {"dokumentbeskrivelse", n.documents},
        {"dokumentobjekt", n.files}}},
      {"endringslogg", {{"endring", n.changes}}},
      {"loependeJournal", {{"journalregistrering", n.registrations}}},
      {"offentligJournal", {{"journalregistrering", n.registrations}}},
  };
  const std::string path = o.out_dir + "/arkivuttrekk.xml";
  XmlWriter xml(path);
  if (!xml.ok()) return Status::IOError("cannot write " + path);
  xml.Root("addml", kAddml, "addml.xsd");
  xml.Attribute("name", "Noark 5-arkivuttrekk");
  xml.Start("dataset");
  xml.Element("description", "Noark 5-arkivuttrekk");
  Reference(xml, o, facts);
  xml.Start("dataObjects");
  xml.Start("dataObject");
  xml.Attribute("name", "Noark 5-arkivuttrekk");
  AddmlWriter w(&xml, o.out_dir);
  xml.Start("properties");
  PackageInfo(w, facts);
  xml.End();  // properties
  xml.Start("dataObjects");
  for (const auto& f : files) PM_RETURN_IF_ERROR(w.Describe(f));
  xml.End();  // dataObjects
  xml.End();  // dataObject
  xml.End();  // dataObjects
  return xml.Finish();
}

}  // namespace postmottak
