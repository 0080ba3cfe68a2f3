// What a case system writes to use Postmottak: register a case, issue its cover sheet,
// take in a scanned batch, see what the case still misses, and journal by hand a
// document the pipeline could not place.
//
//   case_system --store DIR --rules rules.json --policy policy.json --batch SCANS
//               --cover-sheet OUT.pdf --person PID --unit UNIT
//               --journaler PRINCIPAL --link-to CASE
//
// Who links a document by hand decides which case it belongs to, from what the page
// says and the case system knows; here the operator names the case (--link-to).
//
// It includes only the installed public headers and links Postmottak::postmottak.
#include <postmottak/office.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <string>

namespace {

int Fail(const char* what, const postmottak::Status& status) {
  std::fprintf(stderr, "case_system: %s: %s\n", what, status.ToString().c_str());
  return 1;
}

void PrintCase(const postmottak::CaseRecord& c) {
  std::printf("case %s (%s, unit %s, person %s): %s\n", c.id.c_str(), c.area.c_str(),
              c.unit.c_str(), c.person_id.c_str(), c.status.c_str());
  for (const auto& item : c.checklist)
    std::printf("  %-22s %s\n", item.type.c_str(), item.documents.empty() ? "missing" : "present");
  for (const auto& t : c.tasks)
    if (t.status == "open") std::printf("  task %s: %s\n", t.kind.c_str(), t.reason.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> arg;
  for (int i = 1; i + 1 < argc; i += 2)
    if (std::strncmp(argv[i], "--", 2) == 0) arg[argv[i] + 2] = argv[i + 1];

  postmottak::OfficeOptions options;
  options.store_dir = arg["store"];
  options.rules_file = arg["rules"];
  options.policy_file = arg["policy"];
  options.workers = 2;
  auto office = postmottak::Office::Open(options);
  if (!office.ok()) return Fail("open", office.status());

  // The case system registers the application and prints the request letter's sheet.
  auto system = (*office)->Begin("service:case-system", "case registration");
  if (!system.ok()) return Fail("session", system.status());
  postmottak::CaseRegistration registration;
  registration.id = "2026-900001";
  registration.person_id = arg["person"];
  registration.person_name = "Kari Eksempel";
  registration.area = "AAP";
  registration.unit = arg["unit"];
  auto registered = system->RegisterCase(registration);
  if (!registered.ok()) return Fail("register", registered.status());
  PrintCase(*registered);
  auto sheet = system->IssueCoverSheet(registration.id);
  if (!sheet.ok()) return Fail("cover sheet", sheet.status());
  std::ofstream(arg["cover-sheet"], std::ios::binary) << sheet->pdf;
  std::printf("cover sheet %s for %zu document types written (%zu bytes of PDF)\n",
              sheet->id.c_str(), sheet->expected.size(), sheet->pdf.size());

  // The mail room takes the scanned batch in.
  auto intake = (*office)->Begin("service:intake", "mail intake");
  if (!intake.ok()) return Fail("session", intake.status());
  auto summary = intake->Intake({arg["batch"]});
  if (!summary.ok()) return Fail("intake", summary.status());
  std::printf("intake of %s: %d pages, %d documents (%d by cover sheet, %d by text, %d manual)\n",
              summary->batch.c_str(), summary->pages, summary->documents, summary->linked_by_cover,
              summary->linked_by_text, summary->manual);

  // What the new case still misses, as the case system sees it.
  auto again = system->ReadCase(registration.id);
  if (!again.ok()) return Fail("read", again.status());
  std::printf("still missing:");
  for (const auto& type : again->missing) std::printf(" %s", type.c_str());
  std::printf("\n");

  // The intake unit journals by hand the first document the pipeline could not place.
  auto journaling = (*office)->Begin(arg["journaler"], "manual journaling");
  if (!journaling.ok()) return Fail("session", journaling.status());
  auto queue = journaling->ManualQueue();
  if (!queue.ok()) return Fail("queue", queue.status());
  std::printf("manual queue: %zu documents\n", queue->size());
  if (!queue->empty()) {
    auto linked = journaling->Link(queue->front().id, arg["link-to"]);
    if (!linked.ok()) return Fail("link", linked.status());
    std::printf("linked %s (%s) to %s by %s\n", linked->id.c_str(), linked->type.c_str(),
                linked->case_id.c_str(), linked->linked_by.c_str());
  }
  return 0;
}
