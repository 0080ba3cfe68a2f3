#include "codecs/pdf_merge.h"

#include <memory>
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>

namespace postmottak {

namespace {
// Deterministic output: the same pages give the same bytes and checksum.
std::string WriteToMemory(QPDF& pdf) {
  QPDFWriter writer(pdf);
  writer.setOutputMemory();
  writer.setDeterministicID(true);
  writer.setCompressStreams(true);
  writer.write();
  auto buffer = writer.getBufferSharedPointer();
  return std::string(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
}
}  // namespace

Result<std::string> MergePdfs(const std::vector<std::string>& pdfs) {
  if (pdfs.empty()) return Status::InvalidArgument("no pages to merge");
  try {
    QPDF out;
    out.emptyPDF();
    QPDFPageDocumentHelper out_pages(out);
    // Inputs must outlive the writer: their objects are copied on write.
    std::vector<std::unique_ptr<QPDF>> inputs;
    for (size_t i = 0; i < pdfs.size(); ++i) {
      auto in = std::make_unique<QPDF>();
      in->setSuppressWarnings(true);
      in->processMemoryFile(("page" + std::to_string(i)).c_str(), pdfs[i].data(), pdfs[i].size());
      for (auto& page : QPDFPageDocumentHelper(*in).getAllPages()) out_pages.addPage(page, false);
      inputs.push_back(std::move(in));
    }
    return WriteToMemory(out);
  } catch (const std::exception& e) {
    return Status::Corruption(std::string("PDF pages cannot be merged: ") + e.what());
  }
}

Result<std::string> ExtractPdfPages(const std::string& path, const std::vector<int>& pages) {
  if (pages.empty()) return Status::InvalidArgument("no pages to extract");
  try {
    QPDF in;
    in.setSuppressWarnings(true);
    in.processFile(path.c_str());
    auto all = QPDFPageDocumentHelper(in).getAllPages();
    QPDF out;
    out.emptyPDF();
    QPDFPageDocumentHelper out_pages(out);
    for (int p : pages) {
      if (p < 1 || p > static_cast<int>(all.size()))
        return Status::InvalidArgument("file " + path + " has no page " + std::to_string(p));
      out_pages.addPage(all[p - 1], false);
    }
    return WriteToMemory(out);
  } catch (const std::exception& e) {
    return Status::Corruption("file " + path + ": PDF pages cannot be extracted: " + e.what());
  }
}

Result<int> PdfPageCount(const std::string& pdf) {
  try {
    QPDF in;
    in.setSuppressWarnings(true);
    in.processMemoryFile("pdf", pdf.data(), pdf.size());
    return static_cast<int>(QPDFPageDocumentHelper(in).getAllPages().size());
  } catch (const std::exception& e) {
    return Status::Corruption(std::string("PDF cannot be read: ") + e.what());
  }
}

}  // namespace postmottak
