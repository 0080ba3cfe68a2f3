#include "pipeline/stages/assembler.h"

namespace postmottak {

namespace {
bool HasContent(const MailPiece& p) {
  return !p.pages.empty() || !p.blank_pages.empty() || !p.rejected.empty() || !p.cover_id.empty() ||
         p.separator;
}
}  // namespace

std::optional<MailPiece> Assembler::StartNew(const ProcessedPage& first) {
  std::optional<MailPiece> done;
  if (current_ && HasContent(*current_)) done = std::move(current_);
  current_ = MailPiece{};
  current_->file = first.file;
  current_->file_index = first.file_index;
  return done;
}

bool StartsMailPiece(const ProcessedPage& page) {
  return page.kind == PageKind::kCoverSheet || page.kind == PageKind::kSeparator ||
         (page.error_starts_piece && !page.error.empty());
}

std::optional<MailPiece> Assembler::Add(ProcessedPage page) {
  std::optional<MailPiece> done;
  const bool boundary = !current_ || current_->file != page.file || StartsMailPiece(page);
  if (boundary) done = StartNew(page);
  MailPiece& piece = *current_;
  if (!page.error.empty()) {
    piece.rejected.push_back(std::move(page));
    return done;
  }
  switch (page.kind) {
    case PageKind::kCoverSheet:
      piece.cover_id = page.cover_id;
      piece.sheet = std::move(page);
      break;
    case PageKind::kSeparator:
      piece.separator = true;
      piece.sheet = std::move(page);
      break;
    case PageKind::kBlank:
      piece.blank_pages.push_back(page.page);
      break;
    case PageKind::kContent: {
      const bool starts_document = piece.documents.empty() || page.extraction.titled;
      if (starts_document) {
        DocumentDraft d;
        d.type = page.extraction.document_type.empty() ? "unknown" : page.extraction.document_type;
        piece.documents.push_back(std::move(d));
      } else if (piece.documents.back().type == "unknown" &&
                 !page.extraction.document_type.empty()) {
        piece.documents.back().type = page.extraction.document_type;
      }
      piece.documents.back().pages.push_back(piece.pages.size());
      piece.pages.push_back(std::move(page));
      break;
    }
  }
  return done;
}

std::optional<MailPiece> Assembler::Finish() {
  std::optional<MailPiece> done;
  if (current_ && HasContent(*current_)) done = std::move(current_);
  current_.reset();
  return done;
}

}  // namespace postmottak
