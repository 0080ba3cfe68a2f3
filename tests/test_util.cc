#include "tests/test_util.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <leptonica/allheaders.h>
#include <rocksdb/db.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>
#include <sstream>

#include "codecs/sha256.h"
#include "codecs/text_raster.h"
#include "pipeline/stages/completeness.h"
#include "samples/generator.h"

namespace postmottak::test {

TempDir::TempDir() {
  char tmpl[] = "/tmp/postmottak-test-XXXXXX";
  const char* made = mkdtemp(tmpl);
  if (!made) std::abort();
  path_ = made;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

const Rules& SampleRules() {
  static const Rules rules = [] {
    auto r = Rules::Load(POSTMOTTAK_DEFAULT_RULES);
    if (!r.ok()) std::abort();
    return std::move(r).value();
  }();
  return rules;
}

const Policy& SamplePolicy() {
  static const Policy policy = [] {
    auto p = Policy::Load(POSTMOTTAK_DEFAULT_POLICY);
    if (!p.ok()) std::abort();
    return std::move(p).value();
  }();
  return policy;
}

Principal As(const std::string& id) {
  auto p = SamplePolicy().Resolve(id);
  if (!p.ok()) std::abort();
  return std::move(p).value();
}

Principal Tester() {
  auto p = SamplePolicy().MakePrincipal(
      "user:tester", "4817", Domain::kState,
      {"intake_service", "case_system", "caseworker", "archivist", "auditor", "access_manager"});
  if (!p.ok()) std::abort();
  return std::move(p).value();
}

OfficeOptions SampleOfficeOptions(const std::string& store_dir, const std::string& policy_file) {
  OfficeOptions o;
  o.store_dir = store_dir;
  o.rules_file = POSTMOTTAK_DEFAULT_RULES;
  o.policy_file = policy_file;
  o.sync_commits = false;
  return o;
}

CaseService ServiceFor(Store* store, const Principal& principal) {
  return CaseService(store, &SampleRules(), &SamplePolicy(), principal, "test");
}

void AddCase(Store* store, const std::string& id, const std::string& person,
             const std::string& area, const std::string& unit, const std::string& as) {
  CaseService service = ServiceFor(store, As(as));
  NewCase nc = MakeNewCase(id, person, area, unit);
  if (area == "SOS") nc.required = {"application"};
  auto c = service.AddCase(nc);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
}

void PutAwaitingJournaling(Change& change, Document d, const std::string& unit,
                           const std::string& created_at) {
  d.case_id.clear();
  Task t;
  t.id = JournalingTaskId(d.id);
  t.kind = TaskKind::kManualJournaling;
  t.document_id = d.id;
  t.unit = unit;
  t.created_at = created_at;
  change.Put(d);
  change.Put(t);
}

void WriteZip(const std::string& path, const std::vector<ZipEntry>& entries) {
  archive* a = archive_write_new();
  ASSERT_EQ(archive_write_set_format_zip(a), ARCHIVE_OK);
  ASSERT_EQ(archive_write_open_filename(a, path.c_str()), ARCHIVE_OK);
  for (const auto& e : entries) {
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, e.name.c_str());
    archive_entry_set_filetype(entry, e.symlink ? AE_IFLNK : AE_IFREG);
    if (e.symlink) archive_entry_set_symlink(entry, e.bytes.c_str());
    archive_entry_set_size(entry, e.symlink ? 0 : static_cast<la_int64_t>(e.bytes.size()));
    archive_entry_set_perm(entry, 0644);
    EXPECT_EQ(archive_write_header(a, entry), ARCHIVE_OK) << archive_error_string(a);
    if (!e.symlink && !e.bytes.empty()) {
      EXPECT_EQ(archive_write_data(a, e.bytes.data(), e.bytes.size()),
                static_cast<la_ssize_t>(e.bytes.size()));
    }
    archive_entry_free(entry);
  }
  archive_write_close(a);
  archive_write_free(a);
}

std::unique_ptr<Store> OpenStore(const std::string& dir) {
  StoreOptions options;
  options.sync_commits = false;  // tests do not need power-loss durability
  auto store = Store::Open(dir, options);
  if (!store.ok()) std::abort();
  return std::move(store).value();
}

std::string PersonId(int n) {
  uint64_t state = 1000 + static_cast<uint64_t>(n) * 7919;
  return SyntheticPersonId(&state);
}

Image TextPage(const std::string& title, const std::string& extra_line, int dpi) {
  auto canvas = Canvas::Create(dpi);
  if (!canvas.ok()) std::abort();
  double y = 30;
  if (!title.empty()) {
    canvas->Text(20, y, 20, title, true);
    y += 16;
  }
  if (!extra_line.empty()) {
    canvas->Text(20, y, 12, extra_line);
    y += 10;
  }
  const char* lines[] = {"Det vises til tidligere korrespondanse i saken.",
                         "Opplysningene er gitt etter beste skjønn og er korrekte.",
                         "Vi ber om at saken behandles så snart som mulig.",
                         "Arbeidsevnen vurderes som nedsatt i en periode fremover."};
  for (int i = 0; i < 16; ++i, y += 9) canvas->Text(20, y, 12, lines[i % 4]);
  return canvas->Snapshot();
}

NewCase MakeNewCase(const std::string& id, const std::string& person, const std::string& area,
                    const std::string& unit) {
  NewCase nc;
  nc.id = id;
  nc.person_id = person;
  nc.area = area;
  nc.unit = unit;
  return nc;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

int Run(const std::string& command, std::string* out) {
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return -1;
  std::string text;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) text.append(buf, n);
  int status = pclose(pipe);
  if (out) *out = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace postmottak::test

namespace postmottak::test {

void WriteTiff(const std::string& path, const std::vector<Image>& pages) {
  Pixa* pixa = pixaCreate(0);
  for (const auto& p : pages) {
    Pix* bin = pixThresholdToBinary(p.get(), 150);
    pixSetResolution(bin, 300, 300);
    pixaAddPix(pixa, bin, L_INSERT);
  }
  ASSERT_EQ(pixaWriteMultipageTiff(path.c_str(), pixa), 0);
  pixaDestroy(&pixa);
}

void CopyTree(const std::string& from, const std::string& to) {
  std::filesystem::copy(from, to, std::filesystem::copy_options::recursive);
}

namespace {

// Drops the fields that two equal runs may differ in.
void StripVolatile(nlohmann::json& j) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end();) {
      const std::string& k = it.key();
      const bool volatile_field = k == "time" || k == "runs" || k == "seq" ||
                                  (k.size() > 3 && k.compare(k.size() - 3, 3, "_at") == 0);
      if (volatile_field) {
        it = j.erase(it);
      } else {
        StripVolatile(it.value());
        ++it;
      }
    }
  } else if (j.is_array()) {
    for (auto& v : j) StripVolatile(v);
  }
}

// Opens a closed store with RocksDB alone and calls fn with the handle of `family`.
void WithRawFamily(const std::string& store_dir, Family family,
                   const std::function<void(rocksdb::DB*, rocksdb::ColumnFamilyHandle*)>& fn) {
  std::vector<std::string> names;
  ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), store_dir, &names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const auto& n : names) families.emplace_back(n, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(rocksdb::Options(), store_dir, families, &handles, &db).ok());
  const std::string want =
      family == Family::kMeta ? rocksdb::kDefaultColumnFamilyName : FamilyName(family);
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == want) fn(db, handles[i]);
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  delete db;
}

}  // namespace

void RawWrite(const std::string& store_dir, Family family, const std::string& key,
              const std::optional<std::string>& value) {
  WithRawFamily(store_dir, family, [&](rocksdb::DB* db, rocksdb::ColumnFamilyHandle* h) {
    auto s = value ? db->Put(rocksdb::WriteOptions(), h, key, *value)
                   : db->Delete(rocksdb::WriteOptions(), h, key);
    EXPECT_TRUE(s.ok()) << s.ToString();
  });
}

void DamageFamilyOnDisk(const std::string& store_dir, Family family) {
  std::vector<rocksdb::LiveFileMetaData> files;
  std::string name;
  WithRawFamily(store_dir, family, [&](rocksdb::DB* db, rocksdb::ColumnFamilyHandle* h) {
    EXPECT_TRUE(db->Flush(rocksdb::FlushOptions(), h).ok());
    db->GetLiveFilesMetaData(&files);
    name = h->GetName();
  });
  int damaged = 0;
  for (const auto& f : files) {
    if (f.column_family_name != name) continue;
    // The first data block starts the file: garbage there fails its checksum on read.
    std::fstream sst(f.db_path + "/" + f.name, std::ios::in | std::ios::out | std::ios::binary);
    sst.seekp(8);
    sst.write("\xde\xad\xbe\xef\xde\xad\xbe\xef\xde\xad\xbe\xef", 12);
    damaged += sst.good();
  }
  ASSERT_GT(damaged, 0) << "no table file of " << name << " to damage";
}

std::string CanonicalDump(const Store& store) {
  std::string out;
  std::vector<std::string> events;
  for (int f = 0; f < static_cast<int>(Family::kCount); ++f) {
    const Family family = static_cast<Family>(f);
    const std::string name = FamilyName(family);
    Status scanned =
        store.ForEach(family, "", [&](const std::string& key, const std::string& value) {
          switch (family) {
            case Family::kMeta:
              // The audit head's hash covers times; the salt is random per store.
              if (key != "audit/head" && key != "audit/salt")
                out += name + " " + key + " " + value + "\n";
              break;
            case Family::kBlobs:
              out += name + " " + key + " " + Sha256Hex(value) + "\n";
              break;
            case Family::kIndex:
              // The audit index names sequence numbers and per-store pseudonyms.
              if (key.rfind("audit_", 0) != 0) out += name + " " + key + " " + value + "\n";
              break;
            case Family::kEvents: {
              auto j = nlohmann::json::parse(value);
              const std::string action = j.value("action", "");
              if (action == "intake_started" || action == "intake_resumed" ||
                  action == "intake_finished")
                break;
              StripVolatile(j);
              for (const char* chained : {"prev", "hash", "person"}) j.erase(chained);
              events.push_back(j.dump());
              break;
            }
            default: {
              auto j = nlohmann::json::parse(value);
              StripVolatile(j);
              out += name + " " + key + " " + j.dump() + "\n";
            }
          }
          return true;
        });
    if (!scanned.ok())
      out += "scan failed: " + scanned.ToString() + "\n";  // never equal by accident
  }
  // Events in order of appearance: a resumed run logs the same events in the same order.
  for (const auto& e : events) out += "event " + e + "\n";
  return out;
}

std::string FirstDifference(const std::string& a, const std::string& b, const char* a_name,
                            const char* b_name) {
  std::istringstream sa(a), sb(b);
  std::string la, lb;
  for (int line = 1;; ++line) {
    const bool ea = !std::getline(sa, la), eb = !std::getline(sb, lb);
    if (ea && eb) return "";
    if (la != lb || ea != eb) {
      size_t at = 0;
      while (at < la.size() && at < lb.size() && la[at] == lb[at]) ++at;
      at = at > 200 ? at - 200 : 0;
      return "line " + std::to_string(line) + " from character " + std::to_string(at) + ":\n  " +
             a_name + ": " + (ea ? "<end>" : la.substr(at, 400)) + "\n  " + b_name + ": " +
             (eb ? "<end>" : lb.substr(at, 400));
    }
  }
}

}  // namespace postmottak::test

namespace postmottak::test {

void WritePdf(const std::string& path, const std::vector<PdfPage>& pages,
              const std::string& user_password, bool encrypt) {
  QPDF pdf;
  pdf.emptyPDF();
  QPDFPageDocumentHelper helper(pdf);
  for (const auto& p : pages) {
    char box[96];
    std::snprintf(box, sizeof box, "[0 0 %.2f %.2f]", p.width_pt, p.height_pt);
    QPDFObjectHandle page = pdf.makeIndirectObject(
        QPDFObjectHandle::parse(std::string("<< /Type /Page /MediaBox ") + box + " >>"));
    QPDFObjectHandle resources = QPDFObjectHandle::parse(
        "<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding "
        "/WinAnsiEncoding >> >> >>");
    if (!p.image_dict.empty()) {
      QPDFObjectHandle image = QPDFObjectHandle::newStream(&pdf, p.image_data);
      QPDFObjectHandle dict =
          QPDFObjectHandle::parse("<< /Type /XObject /Subtype /Image " + p.image_dict + " >>");
      for (const auto& key : dict.getKeys()) image.getDict().replaceKey(key, dict.getKey(key));
      QPDFObjectHandle xobjects = QPDFObjectHandle::newDictionary();
      xobjects.replaceKey("/Im1", image);
      resources.replaceKey("/XObject", xobjects);
    }
    page.replaceKey("/Resources", resources);
    page.replaceKey("/Contents", QPDFObjectHandle::newStream(&pdf, p.content));
    helper.addPage(page, false);
  }
  QPDFWriter writer(pdf, path.c_str());
  writer.setStaticID(true);
  if (encrypt)
    writer.setR6EncryptionParameters(user_password.c_str(), "owner-secret", true, true, true, true,
                                     true, true, qpdf_r3p_full, true);
  writer.write();
}

PdfPage ScannedPdfPage(const Image& gray) {
  Image g = ToGray(gray);
  PdfPage page;
  const int w = g.width(), h = g.height();
  page.image_dict = "/Width " + std::to_string(w) + " /Height " + std::to_string(h) +
                    " /ColorSpace /DeviceGray /BitsPerComponent 8";
  page.image_data.resize(static_cast<size_t>(w) * h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      l_uint32 v = 0;
      pixGetPixel(g.get(), x, y, &v);
      page.image_data[static_cast<size_t>(y) * w + x] = static_cast<char>(v);
    }
  page.content = kFullPageImage;
  return page;
}

PdfPage BornDigitalPdfPage(const std::vector<std::string>& lines) {
  PdfPage page;
  std::string c = "0 0 0.6 RG 2 w 60 740 m 535 740 l S\nBT\n";
  double y = 760;
  for (size_t i = 0; i < lines.size(); ++i) {
    c += "/F1 " + std::string(i == 0 ? "22" : "12") + " Tf 1 0 0 1 60 " + std::to_string(y) +
         " Tm (" + lines[i] + ") Tj\n";
    y -= i == 0 ? 40 : 18;
  }
  page.content = c + "ET\n";
  return page;
}

TestKeyring::TestKeyring(const std::vector<std::string>& names) {
  std::filesystem::create_directories(dir_ / "gnupg");
  std::filesystem::permissions(dir_ / "gnupg", std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace);
  for (const auto& who : names) {
    Gpg("--passphrase '' --quick-gen-key '" + who + " <" + who +
        "@example.invalid>' future-default default 1d");
    Gpg("--pinentry-mode loopback --passphrase '' --armor --export-secret-keys " + who +
        "@example.invalid > " + SecretKeyFile(who));
  }
}

TestKeyring::~TestKeyring() { Run("gpgconf --homedir " + (dir_ / "gnupg") + " --kill all"); }

int TestKeyring::Gpg(const std::string& args) const {
  return Run("gpg --homedir " + (dir_ / "gnupg") + " --batch --quiet " + args + " 2>/dev/null");
}

bool TestKeyring::Encrypt(const std::string& plain, const std::string& name, const std::string& out,
                          int level) const {
  const std::string in = dir_ / "plain";
  WriteFile(in, plain);
  return Gpg("--yes --trust-model always --compress-level " + std::to_string(level) + " -r " +
             name + "@example.invalid -o " + out + " --encrypt " + in) == 0;
}

}  // namespace postmottak::test
