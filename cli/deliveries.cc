#include "cli/deliveries.h"

#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "pipeline/vendor/opening.h"
#include "storage/records.h"

namespace postmottak {

using nlohmann::json;

namespace {

// A person id masked; an organisation number is no person's and stays.
std::string Shown(const std::string& user_id) {
  return user_id.size() == 11 ? MaskPersonId(user_id) : user_id;
}

json PieceJson(const VendorPiece& p) {
  const ScanMetadata& m = p.metadata;
  return {{"base", p.base},
          {"pages", p.pages},
          {"vendor_text", !p.ocr.empty()},
          {"reference", m.reference},
          {"user_id", Shown(m.user_id)},
          {"user_type", m.user_type},
          {"area", m.area},
          {"form_code", m.form_code},
          {"unit", m.unit},
          {"channel", m.channel},
          {"received", m.received},
          {"batch_name", m.batch_name},
          {"endorser", m.endorser},
          {"post_box", m.post_box}};
}

// The names of a refusal's files as they are in the delivery, not in the scratch folder.
std::vector<std::string> InDelivery(const std::vector<std::string>& files,
                                    const OpenedDelivery& opened) {
  std::vector<std::string> out;
  for (const auto& f : files) out.push_back(opened.NameOf(f));
  return out;
}

void Print(const std::string& file, const OpenedDelivery& opened) {
  const Delivery& d = opened.delivery;
  std::cout << "Delivery " << file << ": " << d.pieces.size()
            << (d.pieces.size() == 1 ? " mail piece, " : " mail pieces, ") << d.refused.size()
            << " refused\n";
  for (const auto& p : d.pieces) {
    const ScanMetadata& m = p.metadata;
    std::cout << "  " << p.base << ".pdf  " << p.pages << " pages"
              << (m.area.empty() ? "" : ", area " + m.area)
              << (m.user_id.empty() ? "" : ", from " + Shown(m.user_id))
              << (m.reference.empty() ? "" : ", reference " + m.reference)
              << (m.received.empty() ? "" : ", received " + m.received)
              << (m.channel.empty() ? "" : ", " + m.channel)
              << (p.ocr.empty() ? "" : ", vendor text") << "\n";
  }
  for (const auto& r : d.refused) {
    std::string files;
    for (const auto& f : InDelivery(r.files, opened)) files += (files.empty() ? "" : ", ") + f;
    std::cout << "  REFUSED " << files << ": " << r.reason << "\n";
  }
}

int CheckDelivery(const Globals& g, const std::string& file, const DecryptionKey& key) {
  if (LooksEncrypted(file) && key.secret_key_file.empty())
    return Fail(Status::InvalidArgument(file + " is encrypted: give --key"));
  auto opened = OpenDelivery(file, key, SourceLimits{});
  if (!opened.ok()) return Fail(opened.status());
  const Delivery* delivery = &opened->delivery;
  if (g.json) {
    json pieces = json::array(), refused = json::array();
    for (const auto& p : delivery->pieces) pieces.push_back(PieceJson(p));
    for (const auto& r : delivery->refused)
      refused.push_back({{"files", InDelivery(r.files, *opened)}, {"reason", r.reason}});
    std::cout << json{{"delivery", file}, {"pieces", pieces}, {"refused", refused}}.dump(2) << "\n";
  } else {
    Print(file, *opened);
  }
  return delivery->refused.empty() ? 0 : 1;
}

}  // namespace

void AddDeliveryCommands(CLI::App& app, const Globals& g, int* rc) {
  struct Options {
    std::string file, passphrase_file;
    DecryptionKey key;
  };
  auto o = std::make_shared<Options>();
  auto* delivery =
      app.add_subcommand("delivery", "a scanning vendor's delivery")->require_subcommand(1);
  auto* check = delivery->add_subcommand(
      "check", "what intake will make of a delivery: its mail pieces and what it refuses");
  check->add_option("file", o->file, "the delivery: a zip, or *.zip.pgp / *.enc.zip")->required();
  check->add_option("--key", o->key.secret_key_file, "the OpenPGP secret key (encrypted ones)");
  check->add_option("--passphrase-file", o->passphrase_file, "a file holding the key's passphrase");
  check->callback([&g, rc, o] {
    if (!o->passphrase_file.empty()) {
      std::ifstream in(o->passphrase_file);
      std::getline(in, o->key.passphrase);
    }
    *rc = CheckDelivery(g, o->file, o->key);
  });
}

}  // namespace postmottak
