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
  // Two keys: the vendor's, whose secret the configuration names, and a stranger's.
  static void SetUpTestSuite() { keys_ = new test::TestKeyring({"vendor", "stranger"}); }
  static void TearDownTestSuite() { delete keys_; }
  static std::string VendorKey() { return keys_->SecretKeyFile("vendor"); }
  // Encrypts `plain` to `who`, compressed at `level`, into `name`.
  std::string Encrypt(const std::string& plain, const std::string& who, const std::string& name,
                      int level = 0) {
    EXPECT_TRUE(keys_->Encrypt(plain, who, dir_ / name, level));
    return dir_ / name;
  }

  static test::TestKeyring* keys_;
  test::TempDir dir_;
};

test::TestKeyring* DecryptionTest::keys_ = nullptr;

TEST_F(DecryptionTest, TheRightKeyGivesTheZipBackAsItWasSent) {
  const std::string zip = "PK\x03\x04 a vendor's zip " + std::string(5000, 'z');
  const std::string in = Encrypt(zip, "vendor", "batch-1.zip.pgp");
  EXPECT_TRUE(LooksEncrypted(in));
  EXPECT_TRUE(LooksEncrypted("batch.enc.zip"));
  EXPECT_FALSE(LooksEncrypted("batch.zip"));
  auto s = DecryptDelivery(in, dir_ / "batch-1.zip", {VendorKey(), ""});
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(test::ReadFile(dir_ / "batch-1.zip"), zip);
}

TEST_F(DecryptionTest, AnotherKeysDeliveryAndDataThatIsNoPgpAreRefused) {
  const std::string in = Encrypt("secret", "stranger", "other.zip.pgp");
  auto wrong = DecryptDelivery(in, dir_ / "other.zip", {VendorKey(), ""});
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.code(), Status::Code::kInvalidArgument) << wrong.ToString();
  EXPECT_NE(wrong.message().find("other.zip.pgp: cannot be decrypted with"), std::string::npos)
      << wrong.message();
  EXPECT_NE(wrong.message().find("encrypted to another key"), std::string::npos) << wrong.message();
  EXPECT_FALSE(fs::exists(dir_ / "other.zip")) << "nothing is left";

  test::WriteFile(dir_ / "plain.zip.pgp", "PK\x03\x04 not encrypted at all");
  auto plain = DecryptDelivery(dir_ / "plain.zip.pgp", dir_ / "plain.zip", {VendorKey(), ""});
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
  auto s = DecryptDelivery(in, dir_ / "bomb.zip", {VendorKey(), ""}, 1 << 20);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("decrypts to more than 1048576 bytes"), std::string::npos)
      << s.message();
  EXPECT_FALSE(fs::exists(dir_ / "bomb.zip"));
}

}  // namespace
}  // namespace postmottak
