#include "pipeline/vendor/decryption.h"

#include <fcntl.h>
#include <gpgme.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <memory>

#include "codecs/sandbox.h"
#include "codecs/scratch_dir.h"

namespace postmottak {

namespace fs = std::filesystem;

namespace {

std::string Words(gpgme_error_t err) { return gpgme_strerror(err); }

struct ContextFree {
  void operator()(gpgme_ctx_t c) const { gpgme_release(c); }
};
struct DataFree {
  void operator()(gpgme_data_t d) const { gpgme_data_release(d); }
};
using Context = std::unique_ptr<gpgme_context, ContextFree>;
using Data = std::unique_ptr<gpgme_data, DataFree>;

// A keyring of one call's own: created empty, its agent stopped and the folder removed
// when the call ends.
class Keyring {
 public:
  Keyring() : folder_("gpg") {}
  ~Keyring() {
    if (home().empty()) return;
    SandboxLimits quick;
    quick.seconds = 10;
    RunSandboxed({"/usr/bin/gpgconf", "--homedir", home(), "--kill", "all"}, quick).IgnoreError();
  }
  const std::string& home() const { return folder_.path(); }

 private:
  ScratchDir folder_;  // removed after the agent is stopped (members go after the body)
};

// The plaintext's sink: a file, refused past `max` bytes.
struct BoundedFile {
  int fd = -1;
  int64_t written = 0;
  int64_t max = 0;
  bool over = false;
};

ssize_t WriteBounded(void* handle, const void* buffer, size_t size) {
  auto* sink = static_cast<BoundedFile*>(handle);
  if (sink->written + static_cast<int64_t>(size) > sink->max) {
    sink->over = true;
    errno = EFBIG;
    return -1;
  }
  const ssize_t n = write(sink->fd, buffer, size);
  if (n > 0) sink->written += n;
  return n;
}

gpgme_error_t GivePassphrase(void* hook, const char*, const char*, int, int fd) {
  const std::string line = *static_cast<const std::string*>(hook) + "\n";
  return gpgme_io_writen(fd, line.data(), line.size()) == 0 ? 0 : gpgme_error(GPG_ERR_CANCELED);
}

Result<Context> OpenContext(const Keyring& ring, const DecryptionKey& key) {
  gpgme_check_version(nullptr);
  if (ring.home().empty()) return Status::IOError("cannot create a keyring folder");
  gpgme_ctx_t raw = nullptr;
  if (gpgme_error_t err = gpgme_new(&raw); err) return Status::IOError("gpgme: " + Words(err));
  Context ctx(raw);
  if (gpgme_error_t err = gpgme_ctx_set_engine_info(ctx.get(), GPGME_PROTOCOL_OpenPGP, nullptr,
                                                    ring.home().c_str());
      err)
    return Status::IOError("gpg is not usable: " + Words(err));
  // Never a pinentry dialog: a server has no one to type into it.
  gpgme_set_pinentry_mode(ctx.get(), GPGME_PINENTRY_MODE_LOOPBACK);
  gpgme_set_passphrase_cb(ctx.get(), GivePassphrase, const_cast<std::string*>(&key.passphrase));
  gpgme_data_t raw_key = nullptr;
  if (gpgme_error_t err = gpgme_data_new_from_file(&raw_key, key.secret_key_file.c_str(), 1); err)
    return Status::IOError("cannot read the key " + key.secret_key_file + ": " + Words(err));
  Data key_data(raw_key);
  gpgme_error_t err = gpgme_op_import(ctx.get(), key_data.get());
  gpgme_import_result_t imported = err ? nullptr : gpgme_op_import_result(ctx.get());
  if (!imported || imported->secret_imported == 0)
    return Status::InvalidArgument(key.secret_key_file + ": holds no OpenPGP secret key" +
                                   (err ? " (" + Words(err) + ")" : ""));
  return ctx;
}

}  // namespace

bool LooksEncrypted(const std::string& path) {
  auto ends = [&path](const std::string& tail) {
    return path.size() >= tail.size() &&
           path.compare(path.size() - tail.size(), tail.size(), tail) == 0;
  };
  return ends(".pgp") || ends(".gpg") || ends(".enc.zip") || ends(".PGP") || ends(".GPG");
}

Status DecryptDelivery(const std::string& in, const std::string& out, const DecryptionKey& key,
                       int64_t max_bytes) {
  Keyring ring;
  auto ctx = OpenContext(ring, key);
  if (!ctx.ok()) return ctx.status();
  const int in_fd = open(in.c_str(), O_RDONLY | O_CLOEXEC);
  if (in_fd < 0) return Status::IOError("cannot read " + in);
  BoundedFile sink;
  sink.max = max_bytes;
  sink.fd = open(out.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (sink.fd < 0) {
    close(in_fd);
    return Status::IOError("cannot create " + out);
  }
  gpgme_data_t raw_cipher = nullptr, raw_plain = nullptr;
  gpgme_data_cbs callbacks{};
  callbacks.write = WriteBounded;
  gpgme_error_t err = gpgme_data_new_from_fd(&raw_cipher, in_fd);
  if (!err) err = gpgme_data_new_from_cbs(&raw_plain, &callbacks, &sink);
  Data cipher(raw_cipher), plain(raw_plain);
  if (!err) err = gpgme_op_decrypt(ctx->get(), cipher.get(), plain.get());
  close(in_fd);
  close(sink.fd);
  if (!err) return Status::OK();
  std::error_code ec;
  fs::remove(out, ec);
  if (sink.over)
    return Status::InvalidArgument(in + ": decrypts to more than " + std::to_string(max_bytes) +
                                   " bytes");
  const gpgme_decrypt_result_t result = gpgme_op_decrypt_result(ctx->get());
  const bool for_others = result && result->recipients && gpg_err_code(err) == GPG_ERR_NO_SECKEY;
  return Status::InvalidArgument(in + ": cannot be decrypted with " + key.secret_key_file + ": " +
                                 (for_others ? "it is encrypted to another key" : Words(err)));
}

}  // namespace postmottak
