// The vendor's skanningmetadata: every field read, sentinels turned into "not known",
// and XML that does not fit the schema, is not well-formed or carries a DOCTYPE refused
// with the file and the line named.
#include "pipeline/vendor/scan_metadata.h"

#include <gtest/gtest.h>

#include "tests/test_util.h"

namespace postmottak {
namespace {

std::string Xml(const std::string& journalpost, const std::string& rest = "") {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<skanningmetadata>\n  <journalpost>\n" +
         journalpost + "\n  </journalpost>\n" + rest + "</skanningmetadata>\n";
}

TEST(ScanMetadataTest, EveryFieldIsRead) {
  const std::string xml =
      Xml("<referansenummer>00012345678901</referansenummer>"
          "<bruker><brukerId>" +
              test::PersonId(7) +
              "</brukerId><brukertype>PERSON</brukertype></bruker>"
              "<tema>AAP</tema><brevKode>NAV 11-13.05</brevKode>"
              "<journalforendeEnhet>4817</journalforendeEnhet>"
              "<mottakskanal>SKAN_IM</mottakskanal><datoMottatt>2026-11-30</datoMottatt>"
              "<batchnavn>oslo-2026-11-30-1</batchnavn><filnavn>skan-0001.pdf</filnavn>"
              "<endorsernr>3110190003NAV743506</endorsernr><antallSider>3</antallSider>"
              "<land>NOR</land>",
          "<skanningInfo><fysiskPostboks>1400</fysiskPostboks>"
          "<strekkodePostboks>1411</strekkodePostboks></skanningInfo>");
  auto m = ParseScanMetadata(xml, "skan-0001.xml");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->reference, "00012345678901");
  EXPECT_EQ(m->user_id, test::PersonId(7));
  EXPECT_EQ(m->user_type, "PERSON");
  EXPECT_EQ(m->area, "AAP");
  EXPECT_EQ(m->form_code, "NAV 11-13.05");
  EXPECT_EQ(m->unit, "4817");
  EXPECT_EQ(m->channel, "SKAN_IM");
  EXPECT_EQ(m->received, "2026-11-30");
  EXPECT_EQ(m->batch_name, "oslo-2026-11-30-1");
  EXPECT_EQ(m->file_name, "skan-0001.pdf");
  EXPECT_EQ(m->endorser, "3110190003NAV743506");
  EXPECT_EQ(m->pages, 3);
  EXPECT_EQ(m->country, "NOR");
  EXPECT_EQ(m->post_box, "1400");
  EXPECT_EQ(m->barcode_post_box, "1411");
}

TEST(ScanMetadataTest, MissingEmptyAndSentinelFieldsAreNotKnown) {
  auto m = ParseScanMetadata(Xml("<filnavn>a.pdf</filnavn><tema>UKJ</tema>"
                                 "<journalforendeEnhet>0000</journalforendeEnhet>"
                                 "<referansenummer/><datoMottatt></datoMottatt>"
                                 "<antallSider></antallSider>"),
                             "a.xml");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->area, "");
  EXPECT_EQ(m->unit, "");
  EXPECT_EQ(m->reference, "");
  EXPECT_EQ(m->received, "");
  EXPECT_EQ(m->pages, 0);
  EXPECT_EQ(m->user_id, "");
}

TEST(ScanMetadataTest, WhatDoesNotFitTheSchemaIsRefusedWithTheLine) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {Xml("<tema>AAP</tema>"), "filnavn"},                                         // missing
      {Xml("<filnavn>a.pdf</filnavn><referansenummer>123</referansenummer>"), ""},  // 3 digits
      {Xml("<filnavn>../a.pdf</filnavn>"), ""},                                     // a path
      {Xml("<filnavn>a.pdf</filnavn><antallSider>-2</antallSider>"), ""},
      {Xml("<filnavn>a.pdf</filnavn><bruker><brukerId>1</brukerId>"
           "<brukertype>PERSON</brukertype></bruker>"),
       ""},
      {Xml("<filnavn>a.pdf</filnavn><bruker><brukerId>123456789</brukerId>"
           "<brukertype>FIRMA</brukertype></bruker>"),
       ""},
      {Xml("<filnavn>a.pdf</filnavn><datoMottatt>30.11.2026</datoMottatt>"), ""},
      {Xml("<filnavn>a.pdf</filnavn><ukjent>x</ukjent>"), ""},
      {"<?xml version=\"1.0\"?><annet><journalpost/></annet>", ""},
  };
  for (const auto& [xml, word] : bad) {
    auto m = ParseScanMetadata(xml, "bad.xml");
    ASSERT_FALSE(m.ok()) << xml;
    EXPECT_EQ(m.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(m.status().message().find("bad.xml: does not fit skanningmetadata.xsd: line "),
              std::string::npos)
        << m.status().message();
    EXPECT_NE(m.status().message().find(word), std::string::npos) << m.status().message();
  }
}

TEST(ScanMetadataTest, BrokenXmlEntitiesAndOversizedFilesAreRefused) {
  auto cut = ParseScanMetadata(Xml("<filnavn>a.pdf</filnavn>").substr(0, 60), "cut.xml");
  ASSERT_FALSE(cut.ok());
  EXPECT_NE(cut.status().message().find("cut.xml: not well-formed XML: line"), std::string::npos)
      << cut.status().message();
  // A billion laughs and an external entity: no DOCTYPE is read at all.
  const std::string laughs =
      "<?xml version=\"1.0\"?><!DOCTYPE s [<!ENTITY a \"ha\"><!ENTITY b \"&a;&a;&a;&a;\">"
      "<!ENTITY c SYSTEM \"file:///etc/passwd\">]>"
      "<skanningmetadata><journalpost><filnavn>a.pdf</filnavn><brevKode>&b;&c;</brevKode>"
      "</journalpost></skanningmetadata>";
  auto m = ParseScanMetadata(laughs, "laughs.xml");
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("DOCTYPE is not allowed"), std::string::npos)
      << m.status().message();
  auto big = ParseScanMetadata(std::string(kMaxScanMetadataBytes + 1, ' '), "big.xml");
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.status().message().find("big.xml: larger than"), std::string::npos);
  EXPECT_NE(ScanMetadataSchema().find("skanningmetadata"), std::string::npos);
}

}  // namespace
}  // namespace postmottak
