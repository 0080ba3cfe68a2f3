// The command line as operators and scripts use it: JSON shapes, exit codes, files.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "codecs/pdf_merge.h"
#include "pipeline/services/bearer_tokens.h"
#include "tests/test_util.h"

namespace postmottak {
namespace {

using nlohmann::json;

class CliTest : public ::testing::Test {
 protected:
  // The shipped policy plus user:tester, who holds every role and sees every unit: these
  // tests are about the command line, access_test about the policy.
  void SetUp() override {
    json policy = json::parse(test::ReadFile(POSTMOTTAK_DEFAULT_POLICY));
    policy["roles"]["tester"] = {"all_units"};
    json roles = json::array({"tester"});
    for (const auto& [role, unused] : policy["roles"].items()) roles.push_back(role);
    policy["principals"].push_back(
        {{"id", "user:tester"}, {"unit", "4817"}, {"domain", "state"}, {"roles", roles}});
    test::WriteFile(dir_ / "policy.json", policy.dump());
  }
  int Cli(const std::string& args, std::string* out = nullptr,
          const std::string& principal = "user:tester") {
    return test::Run(std::string(POSTMOTTAK_CLI) + " --db " + dir_ / "store" + " --policy " +
                         dir_ / "policy.json" + " --principal " + principal + " " + args +
                         " 2>/dev/null",
                     out);
  }
  json CliJson(const std::string& args) {
    std::string out;
    EXPECT_EQ(Cli("--json " + args, &out), 0) << args;
    seen_ += out;
    return json::parse(out);
  }
  std::string seen_;  // everything the commands printed
  test::TempDir dir_;
};

TEST_F(CliTest, CaseAddShowCoverSheetAndTasks) {
  const std::string person = test::PersonId(42);
  ASSERT_EQ(Cli("case add --id 2026-000042 --person " + person +
                " --area SYK --unit 4402 --name 'Kari Nordvik' --due 2026-12-31"),
            0);
  json shown = CliJson("case show 2026-000042");
  EXPECT_EQ(shown["case"]["id"], "2026-000042");
  EXPECT_EQ(shown["case"]["status"], "awaiting_documentation");
  EXPECT_EQ(shown["case"]["person_id"], person.substr(0, 6) + "*****") << "person ids are masked";
  EXPECT_EQ(shown["missing"], json({"sick_note", "income_statement"}));
  EXPECT_TRUE(shown["documents"].is_array());
  EXPECT_EQ(shown["tasks"].size(), 2u);

  json cover =
      CliJson("coversheet --case 2026-000042 --expect sick_note --out " + dir_ / "cover.pdf");
  EXPECT_EQ(cover["cover_id"].get<std::string>().size(), 12u);
  auto pages = PdfPageCount(test::ReadFile(dir_ / "cover.pdf"));
  ASSERT_TRUE(pages.ok());
  EXPECT_EQ(*pages, 1);
  json again = CliJson("coversheet print " + cover["cover_id"].get<std::string>() + " --out " +
                       dir_ / "again.pdf");
  EXPECT_EQ(again["cover_id"], cover["cover_id"]);
  EXPECT_EQ(test::ReadFile(dir_ / "again.pdf"), test::ReadFile(dir_ / "cover.pdf"));

  json tasks = CliJson("tasks --unit 4402");
  ASSERT_EQ(tasks.size(), 2u);
  for (const auto& t : tasks) {
    for (const char* field : {"id", "kind", "case_id", "unit", "status"})
      EXPECT_TRUE(t.contains(field)) << field;
    EXPECT_EQ(t["kind"], "missing_documentation");
    EXPECT_EQ(t["case_id"], "2026-000042");
  }
  EXPECT_TRUE(CliJson("tasks --unit 9999").empty());
  json stats = CliJson("stats")["units"];
  EXPECT_EQ(stats["4402"]["cases_awaiting_documentation"], 1);
  EXPECT_EQ(stats["4402"]["decision_backlog"], 0);
  EXPECT_EQ(stats["4402"]["awaiting_from"]["doctor"], 1);
  EXPECT_EQ(stats["4402"]["awaiting_from"]["employer"], 1);

  std::string text;
  ASSERT_EQ(Cli("case show 2026-000042", &text), 0);
  EXPECT_NE(text.find("Sykmelding  (missing, awaited from doctor)"), std::string::npos) << text;
  EXPECT_EQ(text.find(person), std::string::npos) << "no unmasked person id in output";
}

TEST_F(CliTest, GlobalOptionsWorkAfterTheCommandToo) {
  ASSERT_EQ(
      Cli("case add --id 2026-000043 --person " + test::PersonId(43) + " --area SYK --unit 4402"),
      0);
  std::string before, after;
  ASSERT_EQ(Cli("--json case show 2026-000043", &before), 0);
  ASSERT_EQ(Cli("case show 2026-000043 --json", &after), 0);
  EXPECT_EQ(before, after);
  ASSERT_EQ(Cli("--json coversheet --case 2026-000043 --out " + dir_ / "a.pdf", &before), 0);
  ASSERT_EQ(Cli("coversheet --case 2026-000043 --out " + dir_ / "b.pdf" + " --json", &after), 0);
  json first = json::parse(before), second = json::parse(after);
  EXPECT_NE(first["cover_id"], second["cover_id"]) << "two sheets, two ids";
  for (json* j : {&first, &second})
    for (const char* differs : {"cover_id", "file"}) j->erase(differs);
  EXPECT_EQ(first, second);
  // Who and why after a nested command, as an operator types them.
  std::string listed;
  ASSERT_EQ(test::Run(std::string(POSTMOTTAK_CLI) + " --db " + dir_ / "store" + " --policy " +
                          dir_ / "policy.json" +
                          " tasks --unit 4402 --principal user:tester --purpose 'daglig kontroll' "
                          "--json 2>/dev/null",
                      &listed),
            0);
  EXPECT_EQ(json::parse(listed).size(), 2u);
  std::string trail;
  ASSERT_EQ(Cli("audit show --json --principal user:tester", &trail), 0);
  EXPECT_NE(trail.find("daglig kontroll"), std::string::npos);
}

TEST_F(CliTest, ExitCodesAreDocumented) {
  EXPECT_EQ(Cli("case show 2026-404404"), 3);
  EXPECT_EQ(Cli("case add --id 2026-1 --person " + test::PersonId(1) + " --area NOPE --unit 0301"),
            2);
  EXPECT_EQ(Cli("case add --id 2026-1 --person 12345678901 --area AAP --unit 0301"), 2);
  EXPECT_EQ(Cli("no-such-command"), 2);
  EXPECT_EQ(Cli("link doc-unknown 2026-1"), 3);
  EXPECT_EQ(Cli("--rules /nonexistent.json stats"), 3);
  EXPECT_EQ(Cli("intake " + dir_ / "nothing-here"), 3);
}

TEST_F(CliTest, ACaseIsHandedOverAndItsTaskTakenAndFinished) {
  ASSERT_EQ(
      Cli("case add --id 2026-000044 --person " + test::PersonId(44) + " --area AAP --unit 0301"),
      0);
  EXPECT_EQ(Cli("case transfer 2026-000044 --to 0301 --category decide --reason x"), 2)
      << "in 0301 already";
  EXPECT_EQ(Cli("case transfer 2026-000044 --to 1103 --category decide --reason x"), 2)
      << "decide is not a local office's task";
  json moved = CliJson("case transfer 2026-000044 --to 4402 --category decide --reason klar");
  EXPECT_EQ(moved["case"]["unit"], "4402");
  EXPECT_EQ(moved["handover"]["category"], "decide");
  const std::string task = moved["handover"]["task_id"];
  // Taken from 4402's queue by one of its caseworkers, not by someone of another unit.
  auto as_ola = [this](const std::string& args) {
    std::string out;
    EXPECT_EQ(Cli("--json " + args, &out, "user:ola"), 0) << args;
    return out.empty() ? json() : json::parse(out);
  };
  EXPECT_EQ(Cli("tasks take " + task), 2) << "user:tester is of unit 4817";
  EXPECT_EQ(as_ola("tasks take " + task)["holder"], "user:ola");
  json mine = as_ola("tasks --mine");
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0]["id"], task);
  EXPECT_EQ(as_ola("tasks done " + task)["status"], "closed");
  json back = CliJson("case return 2026-000044 --category gather_documentation --reason mangler");
  EXPECT_EQ(back["case"]["unit"], "0301");
  json shown = CliJson("case show 2026-000044");
  ASSERT_EQ(shown["handovers"].size(), 2u);
  EXPECT_EQ(shown["handovers"][1]["kind"], "return");
}

TEST_F(CliTest, ARequestLetterIsPrintedAndTheFollowUpRunsAsAService) {
  ASSERT_EQ(Cli("case add --id 2026-000046 --person " + test::PersonId(46) +
                " --area SYK --unit 4402 --name 'Ola Testesen'"),
            0);
  json shown = CliJson("case show 2026-000046");
  ASSERT_EQ(shown["letters"].size(), 2u) << "the doctor's and the employer's";
  for (const auto& l : shown["letters"]) {
    EXPECT_EQ(l["kind"], "request");
    EXPECT_FALSE(l["answer_by"].get<std::string>().empty());
  }
  const std::string letter = shown["letters"][0]["id"];
  json printed = CliJson("letter print " + letter + " --out " + dir_ / "letter.pdf");
  EXPECT_EQ(printed["letter"], letter);
  auto pages = PdfPageCount(test::ReadFile(dir_ / "letter.pdf"));
  ASSERT_TRUE(pages.ok());
  EXPECT_EQ(*pages, 2) << "the letter and its cover sheet";
  std::string text;
  ASSERT_EQ(Cli("case show 2026-000046", &text), 0);
  EXPECT_NE(text.find(letter), std::string::npos) << text;
  EXPECT_NE(text.find("answer by"), std::string::npos) << text;

  // The follow-up is the intake service's scheduled job; nothing is due today.
  std::string out;
  ASSERT_EQ(Cli("--json followup", &out, "service:intake"), 0);
  json report = json::parse(out);
  EXPECT_GE(report["cases_waiting"].get<int>(), 1);
  EXPECT_TRUE(report["reminders"].empty());
  EXPECT_EQ(Cli("followup", nullptr, "user:kari"), 6) << "not a caseworker's command";
}

// Whether some process holds the RocksDB lock of `store`, asked without taking it.
bool LockHeld(const std::string& store) {
  const int fd = open((store + "/LOCK").c_str(), O_RDWR);
  if (fd < 0) return false;
  struct flock probe {};
  probe.l_type = F_WRLCK;
  probe.l_whence = SEEK_SET;
  const bool held = fcntl(fd, F_GETLK, &probe) == 0 && probe.l_type != F_UNLCK;
  close(fd);
  return held;
}

TEST_F(CliTest, ReadsAnswerWhileAnIntakeHoldsTheStoreAndAreAuditedAfterwards) {
  ASSERT_EQ(test::Run(std::string(POSTMOTTAK_SAMPLES_TOOL) + " --out " + dir_ / "batch" + " --db " +
                      dir_ / "store" + " --pages 60 --seed 5 > /dev/null"),
            0);
  const json truth = json::parse(test::ReadFile(dir_ / "batch/truth.json"));
  const std::string some_case = truth["cases"][0]["id"];
  const std::string store = dir_ / "store", log = dir_ / "intake.log";
  std::fflush(stdout);
  const pid_t intake = fork();
  if (intake == 0) {
    FILE* out = std::freopen(log.c_str(), "a", stdout);
    FILE* err = std::freopen(log.c_str(), "a", stderr);
    (void)out;
    (void)err;
    setenv("OMP_THREAD_LIMIT", "1", 1);
    execl(POSTMOTTAK_CLI, "postmottak", "--db", store.c_str(), "--policy",
          (dir_ / "policy.json").c_str(), "--principal", "service:intake", "intake",
          (dir_ / "batch/scans").c_str(), "--workers", "1", static_cast<char*>(nullptr));
    _exit(127);
  }
  for (int i = 0; i < 3000 && !LockHeld(store); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_TRUE(LockHeld(store)) << "the intake did not start: " << test::ReadFile(log);

  // While it runs: the statistics and a case, from what it has committed so far.
  auto read = [&](const std::string& args) {
    std::string out;
    const std::string err = dir_ / "reader.err";
    const int rc = test::Run(std::string(POSTMOTTAK_CLI) + " --db " + store + " --policy " +
                                 dir_ / "policy.json" + " --principal user:tester --json " + args +
                                 " 2>" + err,
                             &out);
    EXPECT_EQ(rc, 0) << args << ": " << test::ReadFile(err);
    EXPECT_NE(test::ReadFile(err).find("held by another process"), std::string::npos)
        << "read beside the intake";
    return rc == 0 ? json::parse(out) : json();
  };
  json stats = read("stats");
  EXPECT_TRUE(stats.contains("units"));
  json shown = read("case show " + some_case);
  EXPECT_EQ(shown["case"]["id"], some_case);
  EXPECT_EQ(Cli("case close " + some_case), 2) << "a write waits for the intake";
  int status = 0;
  EXPECT_EQ(waitpid(intake, &status, WNOHANG), 0) << "the intake was still running";

  ASSERT_EQ(waitpid(intake, &status, 0), intake);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << test::ReadFile(log);
  // The reads are on the trail, chained in by the next writer, and the chain holds.
  ASSERT_EQ(Cli("audit verify"), 0);
  json trail = CliJson("audit show --principal user:tester");
  int statistics = 0, cases = 0;
  for (const auto& e : trail) {
    statistics += e["action"] == "read_statistics";
    cases += e["action"] == "read_case" && e["case_id"] == some_case;
  }
  EXPECT_EQ(statistics, 1);
  EXPECT_EQ(cases, 1);
}

TEST_F(CliTest, TokensFromTheCommandLineVerifyAndNameTheirPrincipal) {
  std::string out;
  ASSERT_EQ(test::Run(std::string(POSTMOTTAK_CLI) + " --json token issue --principal user:kari " +
                          "--ttl 1h --key " + dir_ / "dev.pem" + " 2>/dev/null",
                      &out),
            0);
  const json issued = json::parse(out);
  ASSERT_EQ(test::Run(std::string(POSTMOTTAK_CLI) +
                          " --json token service --principal service:case-system 2>/dev/null",
                      &out),
            0);
  const json service = json::parse(out);
  TokenConfig config;
  config.jwks_file = issued["jwks_file"];
  config.issuer = issued["issuer"];
  config.audience = issued["audience"];
  config.service_tokens[service["sha256"]] = "service:case-system";
  auto verifier = TokenVerifier::Create(config);
  ASSERT_TRUE(verifier.ok()) << verifier.status().ToString();
  auto kari = verifier->Verify(issued["token"], std::time(nullptr));
  ASSERT_TRUE(kari.ok()) << kari.status().ToString();
  EXPECT_EQ(*kari, "user:kari");
  auto machine = verifier->Verify(service["token"], std::time(nullptr));
  ASSERT_TRUE(machine.ok());
  EXPECT_EQ(*machine, "service:case-system");
  // The key stays private to its owner; unknown principals get no token.
  EXPECT_EQ(
      std::filesystem::status(dir_ / "dev.pem").permissions() & std::filesystem::perms::group_read,
      std::filesystem::perms::none);
  EXPECT_EQ(test::Run(std::string(POSTMOTTAK_CLI) + " token issue --principal user:nobody --key " +
                      dir_ / "dev.pem" + " > /dev/null 2>&1"),
            6);
}

TEST_F(CliTest, RefusalsAreTheLibrarysAndOnTheTrail) {
  // The command line decides nothing itself: a caseworker asking for the mail room's
  // and upkeep's commands is refused by the session, exit 6, and each refusal is found.
  const std::vector<std::string> commands = {
      "batches",      "quarantine list",         "reconcile b-1", "verify",
      "audit verify", "retention run --dry-run", "grant list",    "reindex"};
  for (const auto& command : commands)
    EXPECT_EQ(Cli(command + " --purpose 'probing " + command + "'", nullptr, "user:kari"), 6)
        << command;
  std::string trail;
  ASSERT_EQ(Cli("audit show --json --principal user:kari", &trail), 0);
  int denied = 0;
  for (const auto& e : json::parse(trail))
    denied += e["action"] == "denied" && e["purpose"].get<std::string>().rfind("probing ", 0) == 0;
  EXPECT_EQ(denied, static_cast<int>(commands.size()));
}

TEST_F(CliTest, IntakeOfAGeneratedBatchWithManualLink) {
  ASSERT_EQ(test::Run(std::string(POSTMOTTAK_SAMPLES_TOOL) + " --out " + dir_ / "batch" + " --db " +
                      dir_ / "store" + " --pages 16 --seed 3 --ambiguous > /dev/null"),
            0);
  json report = CliJson("intake --workers 2 " + dir_ / "batch/scans");
  EXPECT_GE(report["pages"].get<int>(), 16);
  EXPECT_EQ(report["quarantined"].size(), 0u);
  for (const char* field : {"blank_pages", "mail_pieces", "linked_by_cover_sheet", "linked_by_text",
                            "manual_journaling", "tasks_raised", "pages_per_second"})
    EXPECT_TRUE(report.contains(field)) << field;

  json docs = CliJson("documents");
  ASSERT_FALSE(docs.empty());
  const std::string some_case = CliJson("tasks --all")[0]["case_id"];
  for (const auto& d : docs) {
    json shown = CliJson("document show " + d["id"].get<std::string>());
    EXPECT_EQ(shown["id"], d["id"]);
    EXPECT_TRUE(shown["source"]["pages"].is_array());
  }
  json unlinked = CliJson("documents --unlinked");
  const json truth = json::parse(test::ReadFile(dir_ / "batch/truth.json"));
  ASSERT_FALSE(unlinked.empty()) << "the ambiguous certificate waits";
  {
    const std::string doc = unlinked[0]["id"];
    // The candidates, and those of a person typed off the page: the id never echoed.
    const json candidates = CliJson("document candidates " + doc);
    EXPECT_EQ(candidates["document_id"], doc);
    EXPECT_TRUE(candidates["candidates"].is_array());
    std::string text;
    const std::string person = truth["cases"][0]["person_id"];
    ASSERT_EQ(Cli("document candidates " + doc + " --person " + person, &text), 0);
    EXPECT_NE(text.find("person_typed"), std::string::npos) << text;
    seen_ += text;
    json linked = CliJson("link " + doc + " " + some_case);
    EXPECT_EQ(linked["linked_by"], "manual");
    EXPECT_EQ(linked["case_id"], some_case);
    json shown = CliJson("case show " + some_case);
    bool found = false;
    for (const auto& d : shown["documents"]) found |= d["id"] == doc && d["linked_by"] == "manual";
    EXPECT_TRUE(found);
  }
  // A journaled document linked to a second case as well: both have it.
  for (const auto& d : docs) {
    if (d["case_id"].get<std::string>().empty()) continue;
    std::string other;
    for (const auto& c : truth["cases"])
      if (c["id"] != d["case_id"]) other = c["id"];
    ASSERT_FALSE(other.empty());
    json also = CliJson("link " + d["id"].get<std::string>() + " " + other + " --also");
    EXPECT_EQ(also["case_id"], d["case_id"]);
    EXPECT_EQ(also["also_cases"], json::array({other}));
    bool on_other = false;
    const json other_case = CliJson("case show " + other);
    for (const auto& od : other_case["documents"]) on_other |= od["id"] == d["id"];
    EXPECT_TRUE(on_other);
    EXPECT_EQ(Cli("link " + d["id"].get<std::string>() + " " + other + " --also"), 2)
        << "linked already";
    break;
  }
  std::string text;
  for (const char* command : {"documents", "tasks --all", "stats", "documents --unlinked"}) {
    ASSERT_EQ(Cli(command, &text), 0);
    seen_ += text;
  }
  // Privacy: no person id of the sample data appears unmasked in any output.
  ASSERT_FALSE(truth["cases"].empty());
  for (const auto& c : truth["cases"]) {
    const std::string id = c["person_id"];
    EXPECT_EQ(seen_.find(id), std::string::npos) << "unmasked person id in output";
    EXPECT_EQ(seen_.find(id.substr(0, 6) + " " + id.substr(6)), std::string::npos);
  }
}

TEST_F(CliTest, AVendorsDeliveryIsTakenInAndReconciledWithTheVendorsDailyList) {
  const std::string person = test::PersonId(62);
  ASSERT_EQ(Cli("case add --id 2026-000062 --person " + person + " --area AAP --unit 0301"), 0);
  test::WritePdf(dir_ / "one.pdf",
                 {test::BornDigitalPdfPage({"Legeerkl\\346ring", "F\\370dselsnummer " + person})});
  const std::string xml =
      "<?xml version=\"1.0\"?><skanningmetadata><journalpost><bruker><brukerId>" + person +
      "</brukerId><brukertype>PERSON</brukertype></bruker><tema>AAP</tema>"
      "<mottakskanal>SKAN_IM</mottakskanal><datoMottatt>2026-11-30</datoMottatt>"
      "<filnavn>skan-0001.pdf</filnavn><antallSider>1</antallSider></journalpost>"
      "</skanningmetadata>";
  const std::string pdf = test::ReadFile(dir_ / "one.pdf");
  test::WriteZip(dir_ / "levering.zip",
                 {{"skan-0001.pdf", pdf}, {"skan-0001.xml", xml}, {"skan-0002.pdf", pdf}});
  json intake = CliJson("intake " + dir_ / "levering.zip");
  EXPECT_EQ(intake["linked_by_vendor_metadata"], 1) << intake.dump();
  EXPECT_EQ(intake["quarantined"].size(), 1u) << "the half pair";

  // The vendor lists three PDFs; one never came.
  test::WriteFile(dir_ / "skan-2026-11-30.txt", "skan-0001.pdf\nskan-0002.pdf\nskan-0003.pdf\n");
  std::string out;
  EXPECT_EQ(Cli("reconcile vendor " + dir_ / "skan-2026-11-30.txt", &out), 5) << out;
  EXPECT_NE(out.find("skan-0003.pdf"), std::string::npos) << out;
  EXPECT_NE(out.find("missing"), std::string::npos) << out;
  EXPECT_NE(out.find("NOT BALANCED"), std::string::npos) << out;
  EXPECT_EQ(Cli("--json reconcile vendor " + dir_ / "skan-2026-11-30.txt", &out), 5);
  json j = json::parse(out);
  ASSERT_EQ(j["files"].size(), 3u);
  EXPECT_EQ(j["files"][0]["status"], "journaled");
  EXPECT_EQ(j["files"][0]["cases"], json::array({"2026-000062"}));
  EXPECT_EQ(j["files"][1]["status"], "quarantined");
  EXPECT_NE(j["files"][1]["detail"].get<std::string>().find("half pair"), std::string::npos);
  EXPECT_EQ(j["files"][2]["status"], "missing");
  EXPECT_EQ(out.find(person), std::string::npos) << "no person id in the reconciliation";

  // Asked for a day: the list is found by the day in its name; a day without one says so.
  EXPECT_EQ(Cli("reconcile vendor --day 2026-11-30 --lists " + dir_.path(), &out), 5);
  EXPECT_NE(out.find("skan-0003.pdf"), std::string::npos) << out;
  EXPECT_EQ(Cli("reconcile vendor --day 2026-11-29 --lists " + dir_.path(), &out), 5);
  EXPECT_NE(out.find("No list from the vendor for 2026-11-29"), std::string::npos) << out;
  // A list with nothing missing balances.
  test::WriteFile(dir_ / "ok.txt", "# the vendor's list\nskan-0001.pdf\n\nskan-0002.pdf\n");
  EXPECT_EQ(Cli("reconcile vendor " + dir_ / "ok.txt", &out), 0) << out;

  // The journaled piece goes into the Noark 5 deposit, with the vendor's metadata.
  json deposit = CliJson("export noark5 --out " + dir_ / "deposit" + " --schemas " +
                         POSTMOTTAK_NOARK5_SCHEMAS);
  EXPECT_EQ(deposit["folders"], 1) << deposit.dump();
  EXPECT_EQ(deposit["documents"], 1);
  const std::string arkivstruktur = test::ReadFile(dir_ / "deposit/arkivstruktur.xml");
  EXPECT_NE(arkivstruktur.find("<eksternReferanse>skan-0001.pdf</eksternReferanse>"),
            std::string::npos);
  // The person is the case's party in the archival record, and nowhere else.
  EXPECT_NE(arkivstruktur.find("<partID>" + person + "</partID>"), std::string::npos);
  EXPECT_EQ(arkivstruktur.find(person), arkivstruktur.rfind(person));
  EXPECT_EQ(test::ReadFile(dir_ / "deposit/offentligJournal.xml").find(person), std::string::npos);
  EXPECT_EQ(test::ReadFile(dir_ / "deposit/endringslogg.xml").find(person), std::string::npos);
  EXPECT_NE(
      Cli("export noark5 --out " + dir_ / "by-kari" + " --schemas " + POSTMOTTAK_NOARK5_SCHEMAS,
          nullptr, "user:kari"),
      0)
      << "a caseworker makes no deposit";
}

}  // namespace
}  // namespace postmottak

namespace postmottak {
namespace {

// `delivery check`: a vendor's zip read as intake will read it, before it is taken in.
TEST(CliDeliveryTest, ADeliveryIsCheckedBeforeIntakeWithTheRefusalsNamed) {
  test::TempDir dir;
  test::WritePdf(dir / "one.pdf", {test::BornDigitalPdfPage({"Legeerkl\\346ring", "Side 1"}),
                                   test::BornDigitalPdfPage({"Side 2"})});
  const std::string pdf = test::ReadFile(dir / "one.pdf");
  const std::string person = test::PersonId(61);
  const std::string xml =
      "<?xml version=\"1.0\"?><skanningmetadata><journalpost><bruker><brukerId>" + person +
      "</brukerId><brukertype>PERSON</brukertype></bruker><tema>AAP</tema>"
      "<mottakskanal>SKAN_IM</mottakskanal><filnavn>skan-0001.pdf</filnavn>"
      "<antallSider>2</antallSider></journalpost></skanningmetadata>";
  test::WriteZip(dir / "levering.zip", {{"skan-0001.pdf", pdf},
                                        {"skan-0001.xml", xml},
                                        {"skan-0002.pdf", pdf}});  // its XML is missing
  std::string out;
  const std::string cli = std::string(POSTMOTTAK_CLI) + " delivery check " + dir / "levering.zip";
  EXPECT_EQ(test::Run(cli + " --json", &out), 1) << "something is refused";
  const json report = json::parse(out);
  ASSERT_EQ(report["pieces"].size(), 1u) << out;
  EXPECT_EQ(report["pieces"][0]["base"], "skan-0001");
  EXPECT_EQ(report["pieces"][0]["pages"], 2);
  EXPECT_EQ(report["pieces"][0]["area"], "AAP");
  EXPECT_EQ(report["pieces"][0]["user_id"], MaskPersonId(person));
  ASSERT_EQ(report["refused"].size(), 1u);
  EXPECT_EQ(report["refused"][0]["files"], json::array({"skan-0002.pdf"}));
  EXPECT_NE(report["refused"][0]["reason"].get<std::string>().find("half pair"), std::string::npos);
  EXPECT_EQ(test::Run(cli, &out), 1);
  EXPECT_NE(out.find("REFUSED skan-0002.pdf: half pair"), std::string::npos) << out;
  EXPECT_EQ(out.find(person), std::string::npos) << "the person id is masked";
  // An encrypted delivery needs the key.
  EXPECT_NE(test::Run(cli + ".pgp 2>&1", &out), 0);
  EXPECT_NE(out.find("is encrypted: give --key"), std::string::npos) << out;
}

}  // namespace
}  // namespace postmottak
