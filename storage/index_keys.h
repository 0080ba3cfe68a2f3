// The index's key families, in one place: the store derives the entries of every record
// from these (IndexEntriesOf in store.cc), and every reader scans by them, so a family's
// layout is written once. Each function returns a prefix ending in '/'; an entry's key is
// the prefix followed by the id it leads to (the value, where there is one, is noted).
//
//   person/<person id>/<case id>                 the cases of a person
//   unit_case/<unit>/<case id>                   the cases a unit holds
//   case_doc/<case id>/<document id>             the documents of a case
//   unlinked/<document id>                       documents waiting for manual journaling
//   hash/<content hash>/<document id>            documents by their pages' combined hash
//   page/<page sha256>/<document id> = page n    every stored page, by its image's hash
//   case_cover/<case id>/<cover id>              a case's cover sheets
//   case_task/<case id>/<task id>                a case's tasks
//   unit_task/<unit>/<task id>                   a unit's queue
//   doc_notice/<document id>/<task id>           notices that name a document
//   case_grant/<case id>/<grant id> = principal  grants on a case
//   batch_quarantine/<batch>/<quarantine id>     a batch's quarantine entries
//   file/<file sha256>/<batch>/<index> = name    every file taken in, by its checksum
//   vendor_file/<file name>/<batch>/<index> = name   every PDF a vendor delivered, by its name
//   external_ref/<file name>/<document id>       documents journaled from a vendor's PDF
//   tombstone/<kind>/<id> = case id              what retention deleted
//   audit_principal|audit_case|audit_person/<x>/<seq>   the audit trail by who and what
#ifndef POSTMOTTAK_STORAGE_INDEX_KEYS_H_
#define POSTMOTTAK_STORAGE_INDEX_KEYS_H_

#include <string>

namespace postmottak::index_keys {

inline std::string PersonCases(const std::string& person_id) { return "person/" + person_id + "/"; }
inline std::string UnitCases(const std::string& unit) { return "unit_case/" + unit + "/"; }
inline std::string CaseDocuments(const std::string& case_id) { return "case_doc/" + case_id + "/"; }
inline std::string Unlinked() { return "unlinked/"; }
inline std::string ContentHolders(const std::string& content_hash) {
  return "hash/" + content_hash + "/";
}
inline std::string PageHolders(const std::string& page_sha256) {
  return "page/" + page_sha256 + "/";
}
inline std::string CaseCoverSheets(const std::string& case_id) {
  return "case_cover/" + case_id + "/";
}
inline std::string CaseTasks(const std::string& case_id) { return "case_task/" + case_id + "/"; }
inline std::string UnitTasks(const std::string& unit) { return "unit_task/" + unit + "/"; }
inline std::string DocumentNotices(const std::string& document_id) {
  return "doc_notice/" + document_id + "/";
}
inline std::string CaseGrants(const std::string& case_id) { return "case_grant/" + case_id + "/"; }
inline std::string BatchQuarantine(const std::string& batch) {
  return "batch_quarantine/" + batch + "/";
}
inline std::string FileCopies(const std::string& file_sha256) {
  return "file/" + file_sha256 + "/";
}
// A vendor's file names are their external references (pipeline/vendor/): no '/' in them.
inline std::string VendorFiles(const std::string& file_name) {
  return "vendor_file/" + file_name + "/";
}
inline std::string ExternalRefDocuments(const std::string& file_name) {
  return "external_ref/" + file_name + "/";
}
// kind: "case", "document", "cover_sheet" or "task".
inline std::string Tombstones(const std::string& kind) { return "tombstone/" + kind + "/"; }
inline std::string AuditByPrincipal(const std::string& principal) {
  return "audit_principal/" + principal + "/";
}
inline std::string AuditByCase(const std::string& case_id) { return "audit_case/" + case_id + "/"; }
inline std::string AuditByPerson(const std::string& pseudonym) {
  return "audit_person/" + pseudonym + "/";
}

}  // namespace postmottak::index_keys

#endif  // POSTMOTTAK_STORAGE_INDEX_KEYS_H_
