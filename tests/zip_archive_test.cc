// Unpacking a vendor's zip: what it holds comes out whole, and a hostile archive (names
// that climb out, links, a zip bomb, too many entries, a damaged file) is refused with the
// archive and the entry named, leaving nothing behind.
#include "codecs/zip_archive.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/test_util.h"

namespace postmottak {
namespace {

namespace fs = std::filesystem;
using test::WriteZip;
using test::ZipEntry;

class ZipArchiveTest : public ::testing::Test {
 protected:
  // Unpacks into a fresh folder; `files` gets what is left in it afterwards.
  Result<std::vector<std::string>> Unpack(const std::vector<ZipEntry>& entries,
                                          const ArchiveLimits& limits = {}) {
    WriteZip(dir_ / "in.zip", entries);
    fs::remove_all(dir_ / "out");
    fs::create_directories(dir_ / "out");
    return UnpackZip(dir_ / "in.zip", dir_ / "out", limits);
  }
  int FilesLeft() {
    int n = 0;
    for (const auto& e : fs::recursive_directory_iterator(dir_ / "out")) n += e.is_regular_file();
    return n;
  }
  static std::string Code(const Status& s) { return s.ok() ? "ok" : s.ToString(); }

  test::TempDir dir_;
};

TEST_F(ZipArchiveTest, PairsComeOutWholeWithTheirNames) {
  auto names = Unpack({{"2026-11-30/skan-0001.pdf", "%PDF-1.4 one"},
                       {"2026-11-30/skan-0001.xml", "<xml/>"},
                       {"skan-0002.pdf", std::string(100000, 'x')}});
  ASSERT_TRUE(names.ok()) << names.status().ToString();
  EXPECT_EQ(*names, std::vector<std::string>(
                        {"2026-11-30/skan-0001.pdf", "2026-11-30/skan-0001.xml", "skan-0002.pdf"}));
  EXPECT_EQ(test::ReadFile(dir_ / "out/2026-11-30/skan-0001.pdf"), "%PDF-1.4 one");
  EXPECT_EQ(fs::file_size(dir_ / "out/skan-0002.pdf"), 100000u);
}

TEST_F(ZipArchiveTest, NamesThatClimbOutAndLinksAreRefusedAndNothingIsLeft) {
  for (const std::string bad : {"../evil.pdf", "a/../../evil.pdf", "/etc/evil.pdf",
                                "a\\..\\evil.pdf", "C:evil.pdf", "a//b.pdf"}) {
    auto r = Unpack({{"good.pdf", "fine"}, {bad, "evil"}});
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument) << bad;
    EXPECT_NE(r.status().message().find("reaches outside"), std::string::npos)
        << r.status().message();
    EXPECT_NE(r.status().message().find("in.zip"), std::string::npos) << "the archive is named";
    EXPECT_EQ(FilesLeft(), 0) << bad << ": what was written before is removed";
  }
  EXPECT_FALSE(fs::exists(dir_ / "evil.pdf"));
  auto link = Unpack({{"passwd.pdf", "/etc/passwd", true}});
  ASSERT_FALSE(link.ok());
  EXPECT_NE(link.status().message().find("a link or a device"), std::string::npos);
}

TEST_F(ZipArchiveTest, AZipBombIsStoppedAsItExpandsNotByWhatItsHeaderSays) {
  // 64 MiB of zeros deflates to about 64 KiB: a thousandfold.
  auto r = Unpack({{"bomb.pdf", std::string(64 << 20, '\0')}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("zip bomb"), std::string::npos) << r.status().message();
  EXPECT_EQ(FilesLeft(), 0);
  ArchiveLimits small;
  small.max_entry_bytes = 1000;
  auto big = Unpack({{"big.pdf", std::string(5000, 'y')}}, small);
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.status().message().find("entry 'big.pdf': larger than 1000 bytes"),
            std::string::npos)
      << big.status().message();
}

TEST_F(ZipArchiveTest, TooManyEntriesTwiceTheSameNameAndDamageAreRefused) {
  ArchiveLimits few;
  few.max_entries = 3;
  std::vector<ZipEntry> many;
  for (int i = 0; i < 4; ++i) many.push_back({"p" + std::to_string(i) + ".pdf", "x"});
  auto r = Unpack(many, few);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("more than 3 entries"), std::string::npos);
  auto twice = Unpack({{"a.pdf", "1"}, {"a.pdf", "2"}});
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("appears twice"), std::string::npos);

  WriteZip(dir_ / "whole.zip", {{"a.pdf", std::string(200000, 'z')}, {"b.pdf", "b"}});
  const std::string whole = test::ReadFile(dir_ / "whole.zip");
  test::WriteFile(dir_ / "cut.zip", whole.substr(0, whole.size() / 3));
  fs::create_directories(dir_ / "cut");
  auto cut = UnpackZip(dir_ / "cut.zip", dir_ / "cut");
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.status().code(), Status::Code::kInvalidArgument) << cut.status().ToString();
  test::WriteFile(dir_ / "not.zip", "not a zip at all");
  EXPECT_FALSE(UnpackZip(dir_ / "not.zip", dir_ / "cut").ok());
}

}  // namespace
}  // namespace postmottak
