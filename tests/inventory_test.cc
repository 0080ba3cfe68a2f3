// The inventory stage: manifests, checksums, page counts and batch ids.
#include "pipeline/stages/inventory.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "codecs/sha256.h"
#include "samples/generator.h"
#include "tests/test_util.h"

namespace postmottak {
namespace {

TEST(ManifestTest, ParsesNamesPagesAndChecksums) {
  const std::string sha(64, 'a');
  auto m = ParseManifest(R"({"batch": "oslo-2026-11-23", "files": [
      {"name": "a/scan-001.tif", "pages": 12, "sha256": ")" +
                             sha + R"("},
      {"name": "./scan-002.pdf"}]})",
                         "manifest.json");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->batch, "oslo-2026-11-23");
  ASSERT_EQ(m->files.size(), 2u);
  EXPECT_EQ(m->files[0].name, "a/scan-001.tif");
  EXPECT_EQ(m->files[0].pages, 12);
  EXPECT_EQ(m->files[0].sha256, sha);
  EXPECT_EQ(m->files[1].name, "scan-002.pdf");
  EXPECT_EQ(m->files[1].pages, -1);
  auto resolved = ResolveManifest(*m, "/in/batch");
  EXPECT_EQ(resolved[1].name, "/in/batch/scan-002.pdf");
}

struct BadManifest {
  const char* text;
  const char* names;  // what the error must mention
};

class BadManifestTest : public ::testing::TestWithParam<BadManifest> {};

TEST_P(BadManifestTest, IsRefusedWithTheFieldNamed) {
  auto m = ParseManifest(GetParam().text, "in/manifest.json");
  ASSERT_FALSE(m.ok()) << GetParam().text;
  EXPECT_NE(m.status().message().find("in/manifest.json"), std::string::npos);
  EXPECT_NE(m.status().message().find(GetParam().names), std::string::npos) << m.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadManifestTest,
    ::testing::Values(
        BadManifest{"", "not valid JSON"}, BadManifest{"[]", "object"},
        BadManifest{R"({"files": 3})", "\"files\""},
        BadManifest{R"({"files": [{"pages": 2}]})", "files[0].name"},
        BadManifest{R"({"files": [{"name": "../etc/passwd"}]})", "files[0].name"},
        BadManifest{R"({"files": [{"name": "/abs.tif"}]})", "files[0].name"},
        BadManifest{R"({"files": [{"name": "a.tif"}, {"name": "./a.tif"}]})", "listed twice"},
        BadManifest{R"({"files": [{"name": "a.tif", "pages": 0}]})", "files[0].pages"},
        BadManifest{R"({"files": [{"name": "a.tif", "pages": 1.5}]})", "files[0].pages"},
        BadManifest{R"({"files": [{"name": "a.tif", "sha256": "ABC"}]})", "files[0].sha256"},
        BadManifest{R"({"batch": "../x", "files": []})", "\"batch\""}));

TEST(InventoryTest, ListsChecksumsAndCountsPagesAndKeepsTheManifestOut) {
  test::TempDir dir;
  auto store = test::OpenStore(dir / "store");
  SampleOptions options;
  options.out_dir = dir / "batch";
  options.pages = 12;
  options.pages_per_file = 6;
  auto batch = GenerateSamples(store.get(), test::SampleRules(), options);
  ASSERT_TRUE(batch.ok());
  const std::string scans = dir / "batch/scans";
  test::WriteFile(scans + "/zz-broken.tif", "II*\0garbage");

  auto inv = TakeInventory({scans}, SourceLimits{});
  ASSERT_TRUE(inv.ok()) << inv.status().ToString();
  ASSERT_TRUE(inv->manifest.has_value());
  ASSERT_EQ(inv->files.size(), batch->files.size() + 1);
  int pages = 0;
  for (size_t i = 0; i < batch->files.size(); ++i) {
    EXPECT_EQ(inv->files[i].name, batch->files[i]);
    EXPECT_EQ(inv->files[i].sha256, Sha256Hex(test::ReadFile(batch->files[i])));
    EXPECT_GT(inv->files[i].pages, 0);
    EXPECT_EQ(inv->files[i].pages, inv->manifest->files[i].pages);
    pages += inv->files[i].pages;
  }
  EXPECT_EQ(pages, batch->pages);
  const BatchFile& broken = inv->files.back();
  EXPECT_EQ(broken.pages, -1);
  EXPECT_NE(broken.error.find("zz-broken.tif"), std::string::npos) << broken.error;

  // Same files, same batch id; other files, another.
  auto again = TakeInventory({scans}, SourceLimits{});
  EXPECT_EQ(DerivedBatchId(*again), DerivedBatchId(*inv));
  auto fewer = TakeInventory({batch->files.front()}, SourceLimits{});
  EXPECT_NE(DerivedBatchId(*fewer), DerivedBatchId(*inv));
  EXPECT_TRUE(IsValidBatchName(DerivedBatchId(*inv)));

  EXPECT_TRUE(TakeInventory({dir / "nowhere"}, SourceLimits{}).status().IsNotFound());
  test::WriteFile(scans + "/manifest.json", "{\"files\": 1}");
  auto bad = TakeInventory({scans}, SourceLimits{});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("manifest"), std::string::npos);
}

}  // namespace
}  // namespace postmottak
