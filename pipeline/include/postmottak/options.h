// Options: everything an Office needs, named explicitly.
//
// Nothing here is compiled in: the store, the rules and the access policy are files the
// caller names, and the OCR language data is found where Tesseract finds it unless the
// caller says otherwise. A program embedding Postmottak runs the same on any machine
// where the files are, whatever tree it was built from.
#ifndef POSTMOTTAK_OPTIONS_H_
#define POSTMOTTAK_OPTIONS_H_

#include <cstdint>
#include <string>

namespace postmottak {

// Intake's OCR on other machines: `postmottak worker` processes reached through NATS
// JetStream (docs/distributed.md). Empty `nats_url`: threads of this process.
struct RemoteWorkerOptions {
  std::string nats_url;  // one or more, comma-separated
  int replicas = 1;      // copies of every stream this run makes: 3 on a three-node cluster
  // Pages handed out beyond the one the committer takes next: backpressure, and the
  // bound on pages held in memory and in the streams.
  int max_in_flight = 64;
  // Deliveries of a page before it goes to quarantine (it kills every worker that takes it).
  int max_deliveries = 3;
  double ack_wait_seconds = 60;   // a page a worker holds longer goes to another one
  double reconnect_seconds = 60;  // the run fails when NATS is gone longer than this
  // The run fails (resumably) when pages are out and no result came for this long.
  double stall_seconds = 600;
};

struct OfficeOptions {
  // The store's folder: created when missing. Only one process may write it at a time.
  std::string store_dir;
  // When another process holds the store (a server, an intake), open as a reader beside
  // it instead of failing: reads see what that process had committed at Open, and are
  // audited through the store's audit spool, which the writer chains in; writes are
  // refused (FailedPrecondition). Office::reader() tells which it got.
  bool read_beside_writer = false;
  // The rules (benefit areas, document types, checklists) and the access policy
  // (principals, roles, need to know, retention): JSON files, both required. The
  // installed package ships samples in <prefix>/share/postmottak/.
  std::string rules_file;
  std::string policy_file;
  // Tesseract's language data ("" = Tesseract's own default: $TESSDATA_PREFIX, else its
  // installed data) and language ("nor" reads Norwegian letters; "nor+eng" both).
  std::string tessdata;
  std::string ocr_language = "nor";
  // TrueType fonts the printed cover sheets are set in ("": DejaVu Sans, as Debian's
  // fonts-dejavu-core installs it). A file that cannot be read is refused at Open.
  std::string font_regular;
  std::string font_bold;
  // OCR threads for intake (0: one per core), or remote workers.
  int workers = 0;
  RemoteWorkerOptions remote;
  // Time bound on one page from reading to the end of OCR, in seconds; a page past it
  // is journaled without text and a person is asked to read it.
  double page_seconds = 60;
  // Input files larger than this, files with more pages, and pages with more pixels
  // are refused (quarantined) before they are read or their pixels allocated.
  int64_t max_file_bytes = int64_t{2} << 30;
  int max_pages = 10'000;
  int64_t max_pixels = 120'000'000;
  // The scanning vendor's encrypted deliveries (`*.zip.pgp`, `*.enc.zip`;
  // docs/vendor-batches.md): the OpenPGP secret key that decrypts them, and a file
  // holding its passphrase ("" = none). Both are read at Open. Without a key an
  // encrypted delivery goes to quarantine whole.
  std::string vendor_key_file;
  std::string vendor_passphrase_file;
  // Each commit reaches the disk before it returns (power-loss safe). Off only for
  // tests and throw-away stores.
  bool sync_commits = true;
};

}  // namespace postmottak

#endif  // POSTMOTTAK_OPTIONS_H_
