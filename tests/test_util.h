// Shared helpers for the tests: temporary folders, the shipped rules, a fresh store.
#ifndef POSTMOTTAK_TESTS_TEST_UTIL_H_
#define POSTMOTTAK_TESTS_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "codecs/image.h"
#include "pipeline/config/rules.h"
#include "pipeline/services/access.h"
#include "pipeline/services/case_service.h"
#include "postmottak/options.h"
#include "storage/store.h"

namespace postmottak::test {

// A temporary folder, removed with everything in it when the object goes.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

const Rules& SampleRules();
// The shipped access policy (samples/policy.json).
const Policy& SamplePolicy();
// A principal of the shipped policy ("service:intake", "user:kari", ...).
Principal As(const std::string& id);
// A principal for tests of internals: unit 4817, state domain, every role of the
// shipped policy. Tests of the access model itself use As() instead.
Principal Tester();
// Options for an Office on `store_dir` with the shipped rules and `policy_file`, commits
// not synced (tests need no power-loss durability).
OfficeOptions SampleOfficeOptions(const std::string& store_dir,
                                  const std::string& policy_file = POSTMOTTAK_DEFAULT_POLICY);
// A case service acting for `principal` with the shipped rules and policy.
CaseService ServiceFor(Store* store, const Principal& principal);
std::unique_ptr<Store> OpenStore(const std::string& dir);
// Registers a case as the principal `as` of the shipped policy (an SOS case requires only
// an application); a refusal fails the test.
void AddCase(Store* store, const std::string& id, const std::string& person,
             const std::string& area, const std::string& unit, const std::string& as);
// Puts `d` in `change` as waiting for manual journaling: no case, and its open journaling
// task in `unit`'s queue, created at `created_at`.
void PutAwaitingJournaling(Change& change, Document d, const std::string& unit,
                           const std::string& created_at = "");
// A synthetic person id (month + 80) that differs for each n.
std::string PersonId(int n);
// An upright A4 page of Norwegian text at `dpi`, titled with `title` (may be empty).
Image TextPage(const std::string& title, const std::string& extra_line, int dpi);
// A case request with the fields every test sets.
NewCase MakeNewCase(const std::string& id, const std::string& person, const std::string& area,
                    const std::string& unit);
std::string ReadFile(const std::string& path);
// Writes the pages as a multi-page bitonal (G4) TIFF at 300 dpi.
void WriteTiff(const std::string& path, const std::vector<Image>& pages);
void WriteFile(const std::string& path, const std::string& bytes);
// One entry of a zip the tests write: a file, or (symlink) a link to `bytes`.
struct ZipEntry {
  std::string name;
  std::string bytes;
  bool symlink = false;
};
// A zip made with libarchive's writer (deflate), as a vendor's tool would make it; the
// names are written as given, hostile ones included.
void WriteZip(const std::string& path, const std::vector<ZipEntry>& entries);
// Runs a shell command, returning its exit code and standard output.
int Run(const std::string& command, std::string* out = nullptr);
// Copies a closed store (or any folder) to `to`.
void CopyTree(const std::string& from, const std::string& to);

// Damage from outside the library (a disk error, a hand-edit): writes or, with
// `value` empty, deletes one key of a closed store's column family directly in RocksDB.
void RawWrite(const std::string& store_dir, Family family, const std::string& key,
              const std::optional<std::string>& value);

// Everything a store holds, one line per entry in key order, leaving out what differs
// between two equal runs: times, the run counter, event sequence numbers and the
// batch-level events that only say a run started, resumed or finished, and the audit
// chain's hashes and per-store pseudonyms (they cover times and salts). Blobs appear as
// their checksums. Two stores with equal dumps hold the same cases, documents, pages,
// tasks, quarantine, ledger, indexes and events.
std::string CanonicalDump(const Store& store);

// Flushes a family of a closed store to its table files and overwrites the start of
// each, so that reading its records fails their checksum: a disk going bad.
void DamageFamilyOnDisk(const std::string& store_dir, Family family);

// Every record of a type under `prefix`; a failed scan fails the calling test.
template <typename R>
std::vector<R> All(const Store& store, const std::string& prefix = "") {
  auto listed = store.List<R>(prefix);
  EXPECT_TRUE(listed.ok()) << listed.status().ToString();
  return listed.ok() ? std::move(listed).value() : std::vector<R>{};
}

// Where two dumps first differ: the line, and both from a little before the first
// character that differs (named `a_name` and `b_name`); empty when they are equal.
std::string FirstDifference(const std::string& a, const std::string& b, const char* a_name,
                            const char* b_name);

// A content stream that shows image /Im1 over a whole A4 page.
inline constexpr const char* kFullPageImage = "q 595.28 0 0 841.89 0 0 cm /Im1 Do Q";

// One page of a PDF the tests build with qpdf: a content stream, and optionally one
// image XObject named /Im1 (its dictionary entries and its stream bytes as stored) and
// the standard font Helvetica as /F1.
struct PdfPage {
  std::string content;
  std::string image_dict;  // e.g. "/Width 8 /Height 8 /ColorSpace /DeviceGray ..."
  std::string image_data;
  double width_pt = 595.28, height_pt = 841.89;  // A4
};
// Writes the pages as a PDF; with `user_password`, encrypted (AES-256) so that it
// opens only with that password.
void WritePdf(const std::string& path, const std::vector<PdfPage>& pages,
              const std::string& user_password = "", bool encrypt = false);
// A PDF page that shows `image` (8 bpp gray, stored without compression) over the
// whole page: what a simple scanner writes.
PdfPage ScannedPdfPage(const Image& gray);
// A born-digital page: `lines` of text in Helvetica (WinAnsi: write Norwegian letters
// as PDF octal escapes, \346 for æ, \370 for ø, \345 for å), a title in bold size
// and a ruled line under it.
PdfPage BornDigitalPdfPage(const std::vector<std::string>& lines);

// OpenPGP keys made by gpg for the test, in a keyring of their own (removed, agent
// stopped, when this goes): the scanning vendor's deliveries are encrypted to them.
class TestKeyring {
 public:
  // One key (ed25519 with a cv25519 encryption subkey, no passphrase) for each name.
  explicit TestKeyring(const std::vector<std::string>& names);
  ~TestKeyring();
  // The armored secret key of `name`: what the configuration names.
  std::string SecretKeyFile(const std::string& name) const { return dir_ / (name + ".asc"); }
  // Encrypts the bytes `plain` to `name`'s key, compressed at `level`, into `out`.
  bool Encrypt(const std::string& plain, const std::string& name, const std::string& out,
               int level = 0) const;

 private:
  int Gpg(const std::string& args) const;
  TempDir dir_;
};

}  // namespace postmottak::test

#endif  // POSTMOTTAK_TESTS_TEST_UTIL_H_
