#include "pipeline/stages/assembler.h"

#include <gtest/gtest.h>

namespace postmottak {
namespace {

ProcessedPage Page(const std::string& file, int n, PageKind kind, const std::string& type = "",
                   bool titled = false) {
  ProcessedPage p;
  p.file = file;
  p.page = n;
  p.kind = kind;
  p.extraction.document_type = type;
  p.extraction.titled = titled;
  if (kind == PageKind::kCoverSheet) p.cover_id = "000000000018";
  return p;
}

std::vector<MailPiece> Assemble(std::vector<ProcessedPage> pages) {
  Assembler a;
  std::vector<MailPiece> out;
  for (auto& p : pages)
    if (auto piece = a.Add(std::move(p))) out.push_back(std::move(*piece));
  if (auto piece = a.Finish()) out.push_back(std::move(*piece));
  return out;
}

TEST(AssemblerTest, CoverSheetsAndSeparatorsStartPiecesAndTitlesStartDocuments) {
  auto pieces = Assemble({
      Page("a", 1, PageKind::kCoverSheet),
      Page("a", 2, PageKind::kBlank),
      Page("a", 3, PageKind::kContent, "medical_certificate", true),
      Page("a", 4, PageKind::kContent),
      Page("a", 5, PageKind::kContent, "sick_note", true),
      Page("a", 6, PageKind::kSeparator),
      Page("a", 7, PageKind::kContent),
  });
  ASSERT_EQ(pieces.size(), 2u);
  EXPECT_EQ(pieces[0].cover_id, "000000000018");
  EXPECT_EQ(pieces[0].blank_pages, std::vector<int>{2});
  ASSERT_EQ(pieces[0].documents.size(), 2u);
  EXPECT_EQ(pieces[0].documents[0].type, "medical_certificate");
  EXPECT_EQ(pieces[0].documents[0].pages.size(), 2u);
  EXPECT_EQ(pieces[0].documents[1].type, "sick_note");
  EXPECT_TRUE(pieces[1].separator);
  ASSERT_EQ(pieces[1].documents.size(), 1u);
  EXPECT_EQ(pieces[1].documents[0].type, "unknown");
}

TEST(AssemblerTest, ANewFileStartsANewPiece) {
  auto pieces = Assemble({Page("a", 1, PageKind::kContent), Page("b", 1, PageKind::kContent)});
  ASSERT_EQ(pieces.size(), 2u);
  EXPECT_EQ(pieces[0].file, "a");
  EXPECT_EQ(pieces[1].file, "b");
}

TEST(AssemblerTest, UntrustedCoverPageIsRejectedAndStillSplits) {
  ProcessedPage bad = Page("a", 3, PageKind::kContent);
  bad.error = "file a page 3: cover id fails its check digit";
  bad.error_starts_piece = true;
  auto pieces = Assemble({Page("a", 1, PageKind::kCoverSheet), Page("a", 2, PageKind::kContent),
                          bad, Page("a", 4, PageKind::kContent)});
  ASSERT_EQ(pieces.size(), 2u);
  EXPECT_EQ(pieces[0].pages.size(), 1u);
  ASSERT_EQ(pieces[1].rejected.size(), 1u);
  EXPECT_TRUE(pieces[1].cover_id.empty());
  EXPECT_EQ(pieces[1].pages.size(), 1u);
}

TEST(AssemblerTest, UnreadablePageInsideAPieceDoesNotSplitIt) {
  ProcessedPage bad = Page("a", 2, PageKind::kContent);
  bad.error = "file a page 2: cannot be decoded";
  auto pieces = Assemble(
      {Page("a", 1, PageKind::kContent, "sick_note", true), bad, Page("a", 3, PageKind::kContent)});
  ASSERT_EQ(pieces.size(), 1u);
  EXPECT_EQ(pieces[0].rejected.size(), 1u);
  EXPECT_EQ(pieces[0].documents.size(), 1u);
  EXPECT_EQ(pieces[0].documents[0].pages.size(), 2u);
}

TEST(AssemblerTest, UnknownFirstPageTakesTheTypeOfALaterPage) {
  auto pieces = Assemble(
      {Page("a", 1, PageKind::kContent), Page("a", 2, PageKind::kContent, "report_card", false)});
  ASSERT_EQ(pieces.size(), 1u);
  ASSERT_EQ(pieces[0].documents.size(), 1u);
  EXPECT_EQ(pieces[0].documents[0].type, "report_card");
}

}  // namespace
}  // namespace postmottak
