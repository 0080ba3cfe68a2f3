#include "pipeline/archive/noark5.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <tuple>

#include "codecs/sha256.h"
#include "codecs/xml_writer.h"
#include "pipeline/archive/deposit_model.h"
#include "pipeline/services/retention.h"
#include "storage/audit.h"
#include "storage/index_keys.h"

namespace postmottak {

namespace fs = std::filesystem;

namespace {

constexpr char kArkivstruktur[] = "http://www.arkivverket.no/standarder/noark5/arkivstruktur";

bool InPeriod(const std::string& time, const DepositOptions& o) {
  const std::string day = time.substr(0, 10);
  return (o.from.empty() || day >= o.from) && (o.to.empty() || day <= o.to);
}

// The case's documents in the period, grouped by mail piece, in journaling order.
Result<std::vector<Registration>> RegistrationsOf(const Store& store, const Case& c,
                                                  const DepositOptions& o) {
  std::vector<Document> docs;
  for (const auto& [id, unused] : store.ScanIndex(index_keys::CaseDocuments(c.id))) {
    auto d = store.Get<Document>(id);
    if (!d.ok()) return d.status();
    // A document linked to further cases is deposited with the case it was journaled to.
    if (d->case_id == c.id && InPeriod(JournaledAt(*d), o)) docs.push_back(std::move(d).value());
  }
  std::sort(docs.begin(), docs.end(), [](const Document& a, const Document& b) {
    return std::make_pair(JournaledAt(a), a.id) < std::make_pair(JournaledAt(b), b.id);
  });
  std::vector<Registration> out;
  std::map<std::string, size_t> by_piece;
  for (auto& d : docs) {
    auto [it, fresh] = by_piece.emplace(d.mail_piece, out.size());
    if (fresh) {
      Registration r;
      r.mail_piece = d.mail_piece;
      r.time = JournaledAt(d);
      out.push_back(std::move(r));
    }
    out[it->second].documents.push_back(std::move(d));
  }
  return out;
}

// Numbers every registration within its year, in journaling order over the deposit.
void NumberRegistrations(std::vector<Folder>* folders) {
  std::vector<Registration*> all;
  for (auto& f : *folders)
    for (auto& r : f.registrations) all.push_back(&r);
  std::sort(all.begin(), all.end(), [](const Registration* a, const Registration* b) {
    return std::tie(a->time, a->mail_piece) < std::tie(b->time, b->mail_piece);
  });
  std::map<int, int> next;
  for (Registration* r : all) {
    r->year = std::atoi(r->time.substr(0, 4).c_str());
    r->sequence = ++next[r->year];
  }
  for (auto& f : *folders) {
    int number = 0;
    for (auto& r : f.registrations) {
      r.number = ++number;
      r.system_id = StableUuid("journalpost/" + f.c.id + "/" + r.mail_piece);
    }
  }
}

class ArkivstrukturWriter {
 public:
  ArkivstrukturWriter(XmlWriter* xml, const Store& store, const Rules& rules,
                      const std::string& out_dir, DepositReport* report)
      : xml_(*xml), store_(store), rules_(rules), out_dir_(out_dir), report_(*report) {}

  Status WriteFolder(const Folder& f, const std::string& closed_at) {
    const Case& c = f.c;
    const std::string title = FolderTitle(rules_, c);
    xml_.Start("mappe");
    xml_.Attribute("xsi:type", "saksmappe");
    xml_.Element("systemID", StableUuid("saksmappe/" + c.id));
    xml_.Element("mappeID", c.id);
    xml_.Element("tittel", title);
    xml_.Element("offentligTittel", title);
    xml_.Element("opprettetDato", DateTime(c.created_at));
    xml_.Element("opprettetAv", kDepositedBy);
    xml_.Element("avsluttetDato", DateTime(c.closed_at.empty() ? closed_at : c.closed_at));
    xml_.Element("avsluttetAv", kDepositedBy);
    xml_.Start("virksomhetsspesifikkeMetadata");
    xml_.Element("behandlingsstatus", ProcessingStatus(c.status));
    xml_.End();
    // The person the case is about, so the archive can find a person's cases: this is
    // the archival record, not a log; the public journal names no one.
    if (!c.person_id.empty() || !c.person_name.empty()) {
      xml_.Start("part");
      xml_.Element("partID", c.person_id, true);
      xml_.Element("partNavn", c.person_name.empty() ? "Navn ikke registrert" : c.person_name);
      xml_.Element("partRolle", "Bruker");
      xml_.End();
    }
    for (const auto& r : f.registrations) PM_RETURN_IF_ERROR(WriteRegistration(r));
    const std::string year = c.id.substr(0, 4);
    xml_.Element("saksaar", year);
    xml_.Element("sakssekvensnummer", std::to_string(std::atoi(c.id.substr(5).c_str())));
    xml_.Element("saksdato", c.created_at.substr(0, 10));
    xml_.Element("administrativEnhet", c.unit);
    xml_.Element("saksansvarlig", "enhet " + c.unit);
    xml_.Element("saksstatus", c.status == CaseStatus::kClosed ? "Avsluttet" : "Under behandling");
    xml_.End();
    ++report_.folders;
    return Status::OK();
  }

 private:
  Status WriteRegistration(const Registration& r) {
    xml_.Start("registrering");
    xml_.Attribute("xsi:type", "journalpost");
    xml_.Element("systemID", r.system_id);
    xml_.Element("opprettetDato", DateTime(r.documents.front().received_at));
    xml_.Element("opprettetAv", kDepositedBy);
    xml_.Element("arkivertDato", DateTime(r.time));
    xml_.Element("arkivertAv", kDepositedBy);
    int n = 0;
    for (const auto& d : r.documents) PM_RETURN_IF_ERROR(WriteDescription(d, ++n));
    const Document& first = r.documents.front();
    xml_.Element("tittel", TypeTitle(rules_, first.type));
    xml_.Element("offentligTittel", TypeTitle(rules_, first.type));
    WriteVendorMetadata(first.vendor);
    xml_.Element("journalaar", std::to_string(r.year));
    xml_.Element("journalsekvensnummer", std::to_string(r.sequence));
    xml_.Element("journalpostnummer", std::to_string(r.number));
    xml_.Element("journalposttype", "Inngående dokument");
    xml_.Element("journalstatus", "Journalført");
    xml_.Element("journaldato", r.time.substr(0, 10));
    const std::string& received = first.vendor.metadata.received;
    xml_.Element("mottattDato", DateTime(received.empty() ? first.received_at : received));
    xml_.End();
    ++report_.registrations;
    return Status::OK();
  }

  // How the mail came, from the scanning vendor's metadata: the archive keeps the
  // channel, the endorser number and the vendor's file name with the entry.
  void WriteVendorMetadata(const VendorReceipt& v) {
    if (v.external_ref.empty()) return;
    xml_.Start("virksomhetsspesifikkeMetadata");
    xml_.Element("mottakskanal", v.metadata.channel, true);
    xml_.Element("endorsernr", v.metadata.endorser, true);
    xml_.Element("fysiskPostboks", v.metadata.post_box, true);
    xml_.Element("batchnavn", v.metadata.batch_name, true);
    xml_.Element("eksternReferanse", v.external_ref);
    xml_.End();
  }

  Status WriteDescription(const Document& d, int number) {
    xml_.Start("dokumentbeskrivelse");
    xml_.Element("systemID", StableUuid("dokumentbeskrivelse/" + d.id));
    xml_.Element("dokumenttype", TypeTitle(rules_, d.type));
    xml_.Element("dokumentstatus", "Dokumentet er ferdigstilt");
    xml_.Element("tittel", TypeTitle(rules_, d.type));
    xml_.Element("opprettetDato", DateTime(d.received_at));
    xml_.Element("opprettetAv", kDepositedBy);
    xml_.Element("tilknyttetRegistreringSom", number == 1 ? "Hoveddokument" : "Vedlegg");
    xml_.Element("dokumentnummer", std::to_string(number));
    xml_.Element("tilknyttetDato", DateTime(JournaledAt(d)));
    xml_.Element("tilknyttetAv", d.linked_actor.empty() ? kDepositedBy : d.linked_actor);
    auto file = WriteDocumentFile(store_, d, out_dir_);
    if (file.ok()) {
      xml_.Start("dokumentobjekt");
      xml_.Element("systemID", StableUuid("dokumentobjekt/" + d.id));
      xml_.Element("versjonsnummer", "1");
      xml_.Element("variantformat", "Arkivformat");
      xml_.Element("format", "PDF");
      xml_.Element("opprettetDato", DateTime(d.received_at));
      xml_.Element("opprettetAv", kDepositedBy);
      xml_.Element("referanseDokumentfil", file->reference);
      xml_.Element("sjekksum", file->sha256);
      xml_.Element("sjekksumAlgoritme", "SHA-256");
      xml_.Element("filstoerrelse", std::to_string(file->size));
      xml_.End();
      report_.bytes += file->size;
      ++report_.files;
    } else if (!file.status().IsNotFound()) {
      return file.status();
    }
    xml_.End();
    ++report_.documents;
    return Status::OK();
  }

  XmlWriter& xml_;
  const Store& store_;
  const Rules& rules_;
  const std::string out_dir_;
  DepositReport& report_;
};

// The deposit's span: the first case's creation and the last journaling in it, so that
// the same store gives the same header.
std::pair<std::string, std::string> Span(const std::vector<Folder>& folders) {
  std::string first, last;
  for (const auto& f : folders) {
    if (first.empty() || f.c.created_at < first) first = f.c.created_at;
    for (const auto& r : f.registrations) last = std::max(last, r.time);
  }
  return {first, last};
}

// `first` and `last`: the deposit's Span.
Status WriteArkivstruktur(const Store& store, const Rules& rules, const DepositOptions& o,
                          const std::vector<Folder>& folders, const std::string& first,
                          const std::string& last, DepositReport* report) {
  const std::string period = (o.from.empty() ? "" : o.from) + ".." + (o.to.empty() ? "" : o.to);
  XmlWriter xml(o.out_dir + "/arkivstruktur.xml");
  if (!xml.ok()) return Status::IOError("cannot write " + o.out_dir + "/arkivstruktur.xml");
  xml.Root("arkiv", kArkivstruktur, "arkivstruktur.xsd");
  xml.Element("systemID", StableUuid("arkiv/" + o.creator_id));
  xml.Element("tittel", ArchiveTitle(o));
  xml.Element("arkivstatus", "Avsluttet");
  xml.Element("opprettetDato", DateTime(first));
  xml.Element("opprettetAv", kDepositedBy);
  xml.Element("avsluttetDato", DateTime(last));
  xml.Element("avsluttetAv", kDepositedBy);
  xml.Start("arkivskaper");
  xml.Element("arkivskaperID", o.creator_id);
  xml.Element("arkivskaperNavn", o.creator_name);
  xml.End();
  xml.Start("arkivdel");
  xml.Element("systemID", ArkivdelId(o));
  xml.Element("tittel", "Inngående post" + (period == ".." ? "" : ", " + period));
  xml.Element("arkivdelstatus", "Avsluttet periode");
  xml.Element("opprettetDato", DateTime(first));
  xml.Element("opprettetAv", kDepositedBy);
  xml.Element("avsluttetDato", DateTime(last));
  xml.Element("avsluttetAv", kDepositedBy);
  xml.Element("arkivperiodeStartDato", o.from, true);
  xml.Element("arkivperiodeSluttDato", o.to, true);
  ArkivstrukturWriter writer(&xml, store, rules, o.out_dir, report);
  for (const auto& f : folders) PM_RETURN_IF_ERROR(writer.WriteFolder(f, last));
  xml.End();  // arkivdel
  return xml.Finish();
}

// The official schemas beside the XML they describe, byte for byte.
Status CopySchemas(const std::string& from, const std::string& to) {
  for (const char* name : {"arkivstruktur.xsd", "metadatakatalog.xsd", "endringslogg.xsd",
                           "loependeJournal.xsd", "offentligJournal.xsd", "addml.xsd"})
    if (!fs::exists(fs::path(from) / name))
      return Status::InvalidArgument("schemas folder " + from + " lacks " + name);
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(from, ec)) {
    if (e.path().extension() != ".xsd") continue;
    fs::copy_file(e.path(), fs::path(to) / e.path().filename(), ec);
    if (ec) return Status::IOError("cannot copy " + e.path().string() + ": " + ec.message());
  }
  return ec ? Status::IOError("schemas folder " + from + ": " + ec.message()) : Status::OK();
}

Status PrepareOutput(const DepositOptions& o) {
  if (o.out_dir.empty()) return Status::InvalidArgument("no output folder given");
  if (o.schemas_dir.empty()) return Status::InvalidArgument("no schemas folder given");
  std::error_code ec;
  if (fs::exists(o.out_dir, ec) && !fs::is_empty(o.out_dir, ec))
    return Status::InvalidArgument("output folder " + o.out_dir + " is not empty");
  fs::create_directories(fs::path(o.out_dir) / "DOKUMENT", ec);
  if (ec) return Status::IOError("cannot create " + o.out_dir + ": " + ec.message());
  return Status::OK();
}

// Whether some deposited case will be discarded when its retention period has passed.
bool ToBeDiscarded(const Policy& policy, const std::vector<Folder>& folders) {
  return std::any_of(folders.begin(), folders.end(),
                     [&](const Folder& f) { return policy.RetentionDays(f.c.area) >= 0; });
}

// Every file of the package, each XML file validated against its schema in the package;
// arkivuttrekk.xml last, as it checksums the others.
Status WritePackage(const Store& store, const Rules& rules, const Policy& policy,
                    const DepositOptions& o, const std::vector<Folder>& folders,
                    DepositReport* report) {
  const auto [first, last] = Span(folders);
  PM_RETURN_IF_ERROR(WriteArkivstruktur(store, rules, o, folders, first, last, report));
  auto changes = WriteChangeLog(store, folders, o, last);
  if (!changes.ok()) return changes.status();
  report->changes = *changes;
  PM_RETURN_IF_ERROR(WriteJournal(folders, rules, o, /*screened=*/false));
  PM_RETURN_IF_ERROR(WriteJournal(folders, rules, o, /*screened=*/true));
  PM_RETURN_IF_ERROR(CopySchemas(o.schemas_dir, o.out_dir));
  PackageFacts facts{*report, o.from.empty() ? first.substr(0, 10) : o.from,
                     o.to.empty() ? last.substr(0, 10) : o.to, ToBeDiscarded(policy, folders)};
  PM_RETURN_IF_ERROR(WriteAddml(o, facts));
  for (const auto& [xml, xsd] :
       std::vector<std::pair<std::string, std::string>>{{"arkivstruktur", "arkivstruktur"},
                                                        {"endringslogg", "endringslogg"},
                                                        {"loependeJournal", "loependeJournal"},
                                                        {"offentligJournal", "offentligJournal"},
                                                        {"arkivuttrekk", "addml"}})
    PM_RETURN_IF_ERROR(
        ValidateXmlFile(o.out_dir + "/" + xml + ".xml", o.out_dir + "/" + xsd + ".xsd"));
  return Status::OK();
}

}  // namespace

std::string ArchiveTitle(const DepositOptions& o) {
  return o.creator_name + ": inngående post journalført av Postmottak";
}

std::string ArkivdelId(const DepositOptions& o) {
  return StableUuid("arkivdel/" + o.creator_id + "/" + o.from + ".." + o.to);
}

std::string StableUuid(const std::string& name) {
  std::string hex = Sha256Hex("postmottak noark5\n" + name).substr(0, 32);
  hex[12] = '5';                                                    // version: name-based
  hex[16] = "89ab"[std::stoi(hex.substr(16, 1), nullptr, 16) & 3];  // variant: RFC 4122
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

Result<DepositReport> ExportNoark5(Store* store, const Rules& rules, const Policy& policy,
                                   const Principal& principal, const std::string& purpose,
                                   const DepositOptions& options) {
  PM_RETURN_IF_ERROR(
      RequireAudited(store, principal, Permission::kDeposit, "make the Noark 5 deposit", purpose));
  PM_RETURN_IF_ERROR(PrepareOutput(options));
  DepositReport report;
  const std::string now = NowUtc();
  auto cases = store->List<Case>();
  if (!cases.ok()) return cases.status();
  std::vector<Folder> folders;
  for (auto& c : *cases) {
    if (PastRetention(policy, c, now)) {
      ++report.past_retention;
      continue;
    }
    auto registrations = RegistrationsOf(*store, c, options);
    if (!registrations.ok()) return registrations.status();
    if (!registrations->empty())
      folders.push_back({std::move(c), std::move(registrations).value()});
  }
  if (folders.empty())
    return Status::NotFound("nothing journaled to deposit" +
                            (options.from.empty() && options.to.empty()
                                 ? std::string()
                                 : " from " + options.from + " to " + options.to));
  NumberRegistrations(&folders);
  PM_RETURN_IF_ERROR(WritePackage(*store, rules, policy, options, folders, &report));
  // Every case deposited was read whole: each is on the trail, under its case.
  Change change = store->BeginChange(principal, purpose);
  for (const auto& f : folders)
    change.Log("deposit_case", "case/" + f.c.id,
               std::to_string(f.registrations.size()) + " journal entries to " + options.out_dir,
               change.About(f.c.id));
  change.Log("noark5_export", "store",
             std::to_string(report.folders) + " case files, " +
                 std::to_string(report.registrations) + " journal entries, " +
                 std::to_string(report.documents) + " documents to " + options.out_dir);
  PM_RETURN_IF_ERROR(change.Commit());
  return report;
}

}  // namespace postmottak
