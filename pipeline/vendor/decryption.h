// Decrypting a vendor's PGP-encrypted delivery (`*.zip.pgp`, `*.enc.zip`) with GPGME and
// the private key the configuration names.
//
// The key is imported into a keyring of the call's own (a fresh GNUPGHOME, mode 0700,
// removed afterwards with its agent stopped), so no user's keyring is read or changed
// and deliveries never share state. gpg runs as GPGME's separate program: GnuPG's GPL
// stays outside the process. The plaintext is bounded as it is written, since OpenPGP
// data may be compressed: a bomb is stopped, not unpacked.
#ifndef POSTMOTTAK_PIPELINE_VENDOR_DECRYPTION_H_
#define POSTMOTTAK_PIPELINE_VENDOR_DECRYPTION_H_

#include <cstdint>
#include <string>

#include "storage/status.h"

namespace postmottak {

struct DecryptionKey {
  std::string secret_key_file;  // an OpenPGP secret key, armored or binary
  std::string passphrase;       // empty: the key has none
};

// Whether a delivery's name says it is encrypted: `*.pgp`, `*.gpg` or `*.enc.zip`.
bool LooksEncrypted(const std::string& path);

// Decrypts `in` into `out` (created; removed again on failure). InvalidArgument names
// `in` when it is not OpenPGP data, is not encrypted to the key, fails its integrity
// check or decrypts to more than `max_bytes`; InvalidArgument names the key file when it
// holds no usable secret key; IOError for the disk or a missing gpg.
Status DecryptDelivery(const std::string& in, const std::string& out, const DecryptionKey& key,
                       int64_t max_bytes = int64_t{4} << 30);

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_VENDOR_DECRYPTION_H_
