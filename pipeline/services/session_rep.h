// What an Office and a Session hold (postmottak/office.h), shared by the files that
// implement the session's calls by subject: office.cc (cases, documents, tasks, intake),
// session_mail_room.cc (statistics, batches, reconciliation, quarantine) and
// session_upkeep.cc (verify, reindex, retention, the audit trail, grants).
#ifndef POSTMOTTAK_PIPELINE_SERVICES_SESSION_REP_H_
#define POSTMOTTAK_PIPELINE_SERVICES_SESSION_REP_H_

#include <memory>
#include <string>
#include <utility>

#include "codecs/text_raster.h"
#include "pipeline/config/rules.h"
#include "pipeline/intake/intake.h"
#include "pipeline/services/access.h"
#include "pipeline/services/case_service.h"
#include "postmottak/office.h"
#include "storage/store.h"

namespace postmottak {

struct Office::Rep {
  OfficeOptions options;
  Fonts fonts;               // the options' fonts, or the build's default
  DecryptionKey vendor_key;  // the options' key file and its passphrase, read at Open
  Rules rules;
  Policy policy;
  std::unique_ptr<Store> store;
};

struct Session::Rep {
  Office::Rep* office;
  Principal principal;
  std::string purpose;
  CaseService service;  // every case, document, task and grant call goes through it

  Rep(Office::Rep* o, Principal p, std::string why)
      : office(o),
        principal(p),
        purpose(why),
        service(o->store.get(), &o->rules, &o->policy, std::move(p), std::move(why)) {}

  Store* store() const { return office->store.get(); }
  // Intake as the office's options configure it, for this session's principal.
  IntakeOptions Intake() const;
  // OCR as the office's options configure it (intake and reindex alike).
  OcrOptions Ocr() const;
};

// The office's configuration, for the command line's printing: the titles of document
// types, the intake unit, an area's retention period. No records: those only through a
// session.
struct OfficeAccess {
  static const Rules& RulesOf(const Office& office) { return office.rep_->rules; }
  static const Policy& PolicyOf(const Office& office) { return office.rep_->policy; }
  // Counts for monitoring (the server's /metrics): no record is read, only how many
  // documents wait for manual journaling and how many quarantine entries are held.
  struct Backlog {
    int64_t manual_journaling = 0;
    int64_t quarantine_held = 0;
  };
  static Result<Backlog> BacklogOf(const Office& office);
  // Whether `principal` may do `permission`, checked and audited as the library does
  // at the start of a call (a denial is an audit entry): for the server's work that
  // begins before any Session call, such as receiving an uploaded batch.
  static Status Require(const Office& office, const std::string& principal, Permission permission,
                        const std::string& what, const std::string& purpose);
};

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_SERVICES_SESSION_REP_H_
