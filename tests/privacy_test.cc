// The whole demo (.ci/demo: generate, intake, statistics, reconcile, a caseworker's
// case view, audit verify), then every other command a principal may run on its store,
// and a scan of all they printed, the store's log files and the audit trail for the
// sample data's person ids: none may appear unmasked. A run with --unmask shows the scan
// would see one.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

#include "tests/test_util.h"

namespace postmottak {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class PrivacyTest : public ::testing::Test {
 protected:
  // Runs a command for `principal`; stdout and stderr both go into what is scanned.
  int Pm(const std::string& principal, const std::string& args, std::string* out = nullptr) {
    std::string text;
    const int rc = test::Run(std::string(POSTMOTTAK_CLI) + " --db " + store_ + " --principal " +
                                 principal + " " + args + " 2>&1",
                             &text);
    seen_ += text;
    if (out) *out = text;
    return rc;
  }

  // Where any of the persons' ids appears in `text`, as 11 digits or as 6 + 5.
  std::string Leak(const std::string& text) {
    for (const auto& id : persons_)
      for (const std::string& form : {id, id.substr(0, 6) + " " + id.substr(6)})
        if (auto at = text.find(form); at != std::string::npos)
          return "..." + text.substr(at > 80 ? at - 80 : 0, 160) + "...";
    return "";
  }

  test::TempDir dir_;
  std::string store_ = dir_ / "demo/store";
  std::string seen_;
  std::vector<std::string> persons_;
};

TEST_F(PrivacyTest, TheWholeDemoPrintsAndLogsNoUnmaskedPersonId) {
  const char* pages = std::getenv("POSTMOTTAK_DEMO_PAGES");
  std::string demo;
  ASSERT_EQ(test::Run("SKIP_SETUP=1 BUILD_DIR=" + std::string(POSTMOTTAK_BUILD_DIR) +
                          " DEMO_DIR=" + dir_ / "demo" + " DEMO_PAGES=" + (pages ? pages : "240") +
                          " bash " + POSTMOTTAK_SOURCE_DIR + "/.ci/demo 2>&1",
                      &demo),
            0)
      << demo;
  seen_ += demo;
  ASSERT_NE(demo.find("Every page is accounted for"), std::string::npos) << demo;
  ASSERT_NE(demo.find("The chain is intact"), std::string::npos) << demo;

  json truth = json::parse(test::ReadFile(dir_ / "demo/batch/truth.json"));
  for (const auto& c : truth["cases"]) persons_.push_back(c["person_id"]);
  ASSERT_GE(persons_.size(), 5u);

  // Everything else, as the principals allowed to.
  std::string out;
  for (const char* who : {"user:kari", "user:ola", "user:sigrid", "user:per"}) {
    for (const char* args : {"documents", "tasks --all", "documents --unlinked", "--json documents",
                             "--json tasks --all", "search --text legeerklæring"})
      ASSERT_EQ(Pm(who, args), 0) << who << " " << args;
  }
  ASSERT_EQ(Pm("user:kari", "--json documents", &out), 0);
  json docs = json::parse(out);
  ASSERT_FALSE(docs.empty());
  int shown = 0;
  std::string her_case;  // one she may see, for the control below
  for (const auto& d : docs) {
    const std::string id = d["id"];
    ASSERT_EQ(Pm("user:kari", "document show " + id), 0);
    ASSERT_EQ(Pm("user:kari", "--json document show " + id), 0);
    const std::string c = d["case_id"];
    if (c.empty() || shown >= 5) continue;
    // A document seen through a notice belongs to a case of another unit: not hers.
    const int rc = Pm("user:kari", "case show " + c);
    ASSERT_TRUE(rc == 0 || rc == 6) << rc;
    if (rc != 0) continue;
    ++shown;
    if (her_case.empty()) her_case = c;
    ASSERT_EQ(Pm("user:kari", "--json case show " + c), 0);
    ASSERT_EQ(Pm("user:revisor", "audit show --case " + c), 0);
  }
  EXPECT_GT(shown, 0);
  for (const auto& id : persons_) {
    // Searching by person takes the id as input; the output must not echo it.
    Pm("user:kari", "search --person " + id);
    Pm("user:kari", "--json search --person " + id);
    ASSERT_EQ(Pm("user:revisor", "audit show --person " + id), 0);
  }
  // Denials and bad input name what failed, still masked.
  Pm("service:intake", "case show " + docs[0]["case_id"].get<std::string>());
  Pm("user:kari", "case add --id x1 --person 12345678901 --area AAP --unit 0301");
  Pm("user:kari", "case add --id x2 --person " + persons_[0] + " --area NOPE --unit 0301");
  Pm("user:ola", "search --person " + persons_[0]);
  for (const char* args : {"stats", "batches", "reconcile sample-batch --pages",
                           "quarantine list --all", "verify", "retention run --dry-run"})
    ASSERT_EQ(Pm("user:arkiv", args), 0) << args;
  ASSERT_EQ(Pm("user:revisor", "audit show --principal user:kari"), 0);
  ASSERT_EQ(Pm("user:revisor", "--json audit show --principal service:intake"), 0);
  ASSERT_EQ(Pm("user:revisor", "audit verify"), 0);

  // The scan: every output, every log file in the store, the audit trail itself.
  EXPECT_EQ(Leak(seen_), "") << "unmasked person id in command output";
  int logs = 0;
  for (const auto& entry : fs::recursive_directory_iterator(store_)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("LOG", 0) != 0) continue;
    ++logs;
    EXPECT_EQ(Leak(test::ReadFile(entry.path().string())), "") << entry.path();
  }
  EXPECT_GE(logs, 1);
  ASSERT_EQ(Pm("user:revisor", "--json audit show", &out), 0);
  EXPECT_EQ(Leak(out), "") << "unmasked person id in the audit trail";
  EXPECT_GT(json::parse(out).size(), 100u);

  // The control: unmasked on purpose, the same scan finds the id (and it is audited).
  // (Not simply her first document's case: one she sees through a notice is another
  // unit's, whose case she may not read.)
  ASSERT_EQ(Pm("user:kari", "--unmask case show " + her_case, &out), 0);
  EXPECT_NE(Leak(out), "") << "the scan must be able to see an id";
  ASSERT_EQ(Pm("user:revisor", "--json audit show --principal user:kari", &out), 0);
  EXPECT_NE(out.find("unmask_requested"), std::string::npos);
  EXPECT_EQ(Pm("user:arkiv", "--unmask stats"), 6) << "no unmask permission";
}

}  // namespace
}  // namespace postmottak
