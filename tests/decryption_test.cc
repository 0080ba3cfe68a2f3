// Decrypting an encrypted delivery: with the right key the zip comes out as it was
// sent; a delivery for another key, data that is no OpenPGP, a key file without a
// secret key and a compressed bomb are refused, naming the file, and leave nothing.
// The keys are made by the test with gpg in a keyring of its own.
#include "pipeline/vendor/decryption.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/test_util.h"

namespace postmottak {
namespace {

namespace fs = std::filesystem;

class DecryptionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    home_ = new test::TempDir();
    // Two keys (ed25519 with a cv25519 encryption subkey), without passphrase: the
    // vendor's, whose secret the configuration names, and a stranger's.
    for (const std::string who : {"vendor", "stranger"}) {
      ASSERT_EQ(Gpg("--passphrase '' --quick-gen-key '" + who + " <" + who +
                    "@example.invalid>' future-default default 1d"),
                0);
      ASSERT_EQ(Gpg("--pinentry-mode loopback --passphrase '' --armor --export-secret-keys " + who +
                    "@example.invalid > " + Path(who + ".asc")),
                0);
    }
  }
  static void TearDownTestSuite() {
    test::Run("gpgconf --homedir " + Path("gnupg") + " --kill all");
    delete home_;
  }
  static std::string Path(const std::string& name) { return *home_ / name; }
  static int Gpg(const std::string& args) {
    fs::create_directories(Path("gnupg"));
    fs::permissions(Path("gnupg"), fs::perms::owner_all, fs::perm_options::replace);
    return test::Run("gpg --homedir " + Path("gnupg") + " --batch --quiet " + args +
                     " 2>/dev/null");
  }
  // Encrypts `plain` to `who`, compressed at `level`, into `name`.
  static std::string Encrypt(const std::string& plain, const std::string& who,
                             const std::string& name, int level = 0) {
    test::WriteFile(Path(name + ".in"), plain);
    EXPECT_EQ(Gpg("--trust-model always --compress-level " + std::to_string(level) + " -r " + who +
                  "@example.invalid -o " + Path(name) + " --encrypt " + Path(name + ".in")),
              0);
    return Path(name);
  }

  static test::TempDir* home_;
  test::TempDir dir_;
};

test::TempDir* DecryptionTest::home_ = nullptr;

TEST_F(DecryptionTest, TheRightKeyGivesTheZipBackAsItWasSent) {
  const std::string zip = "PK\x03\x04 a vendor's zip " + std::string(5000, 'z');
  const std::string in = Encrypt(zip, "vendor", "batch-1.zip.pgp");
  EXPECT_TRUE(LooksEncrypted(in));
  EXPECT_TRUE(LooksEncrypted("batch.enc.zip"));
  EXPECT_FALSE(LooksEncrypted("batch.zip"));
  auto s = DecryptDelivery(in, dir_ / "batch-1.zip", {Path("vendor.asc"), ""});
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(test::ReadFile(dir_ / "batch-1.zip"), zip);
}

TEST_F(DecryptionTest, AnotherKeysDeliveryAndDataThatIsNoPgpAreRefused) {
  const std::string in = Encrypt("secret", "stranger", "other.zip.pgp");
  auto wrong = DecryptDelivery(in, dir_ / "other.zip", {Path("vendor.asc"), ""});
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.code(), Status::Code::kInvalidArgument) << wrong.ToString();
  EXPECT_NE(wrong.message().find("other.zip.pgp: cannot be decrypted with"), std::string::npos)
      << wrong.message();
  EXPECT_NE(wrong.message().find("encrypted to another key"), std::string::npos) << wrong.message();
  EXPECT_FALSE(fs::exists(dir_ / "other.zip")) << "nothing is left";

  test::WriteFile(dir_ / "plain.zip.pgp", "PK\x03\x04 not encrypted at all");
  auto plain =
      DecryptDelivery(dir_ / "plain.zip.pgp", dir_ / "plain.zip", {Path("vendor.asc"), ""});
  ASSERT_FALSE(plain.ok());
  EXPECT_EQ(plain.code(), Status::Code::kInvalidArgument) << plain.ToString();

  test::WriteFile(dir_ / "nokey.asc", "not a key");
  auto nokey = DecryptDelivery(in, dir_ / "x.zip", {dir_ / "nokey.asc", ""});
  ASSERT_FALSE(nokey.ok());
  EXPECT_NE(nokey.message().find("holds no OpenPGP secret key"), std::string::npos)
      << nokey.message();
}

TEST_F(DecryptionTest, ACompressedBombIsStoppedAtTheBound) {
  const std::string in = Encrypt(std::string(32 << 20, '\0'), "vendor", "bomb.zip.pgp", 9);
  EXPECT_LT(fs::file_size(in), 1u << 20) << "compressed";
  auto s = DecryptDelivery(in, dir_ / "bomb.zip", {Path("vendor.asc"), ""}, 1 << 20);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("decrypts to more than 1048576 bytes"), std::string::npos)
      << s.message();
  EXPECT_FALSE(fs::exists(dir_ / "bomb.zip"));
}

}  // namespace
}  // namespace postmottak
