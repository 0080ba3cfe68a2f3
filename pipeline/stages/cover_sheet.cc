#include "pipeline/stages/cover_sheet.h"

#include <leptonica/allheaders.h>

#include <algorithm>
#include <cmath>

#include "codecs/barcode.h"
#include "codecs/check_digits.h"
#include "codecs/text_raster.h"
#include "pipeline/stages/completeness.h"
#include "pipeline/stages/page_analysis.h"

namespace postmottak {

namespace {

int ModulePx(double mm, int dpi) {
  return std::max(2, static_cast<int>(std::lround(mm / 25.4 * dpi)));
}

std::string KindTitle(CoverSheetKind kind) {
  switch (kind) {
    case CoverSheetKind::kApplication:
      return "Søknad";
    case CoverSheetKind::kFollowUp:
      return "Ettersendelse";
    case CoverSheetKind::kLooseMail:
      return "Løspost";
  }
  return "";
}

}  // namespace

Result<CoverSheet> IssueCoverSheet(Change& change, const Rules& rules, CoverSheetRequest req) {
  CoverSheet sheet;
  sheet.kind = req.kind;
  if (!req.case_id.empty()) {
    auto c = change.Get<Case>(req.case_id);
    if (!c.ok()) return Status::NotFound("unknown case " + req.case_id);
    sheet.case_id = c->id;
    sheet.person_id = c->person_id;
    sheet.person_name = c->person_name;
    sheet.area = c->area;
    sheet.unit = req.unit.empty() ? c->unit : req.unit;
    // By default the letter asks for exactly what the case still misses.
    if (req.expected.empty()) req.expected = ChecklistOf(change, *c).missing;
  } else {
    if (req.person_id.empty() || req.area.empty())
      return Status::InvalidArgument("a cover sheet needs a case, or a person and an area");
    sheet.person_id = req.person_id;
    sheet.area = req.area;
    sheet.unit = req.unit.empty() ? rules.intake_unit() : req.unit;
  }
  if (!rules.Area(sheet.area)) return Status::InvalidArgument("unknown benefit area " + sheet.area);
  if (!IsValidUnit(sheet.unit)) return Status::InvalidArgument("unit must be 4 digits");
  for (const auto& t : req.expected)
    if (!rules.DocumentType(t)) return Status::InvalidArgument("unknown document type " + t);
  sheet.expected = std::move(req.expected);
  sheet.title =
      !req.title.empty() ? req.title : KindTitle(sheet.kind) + " – " + rules.Area(sheet.area)->name;
  sheet.id = MakeCoverId(change.NextSequence("cover"));
  sheet.issued_at = NowUtc();
  sheet.issued_by = change.principal().id;
  change.Put(sheet);
  change.Log("issue_cover_sheet", "cover_sheet/" + sheet.id,
             sheet.case_id.empty() ? "area " + sheet.area : "case " + sheet.case_id,
             Concerning{sheet.case_id, sheet.person_id});
  return sheet;
}

Result<Image> DrawCoverSheet(const CoverSheet& sheet, const Rules& rules, int dpi,
                             const Fonts& fonts) {
  auto canvas_or = Canvas::Create(dpi, fonts);
  if (!canvas_or.ok()) return canvas_or.status();
  Canvas& c = *canvas_or;
  c.Text(20, 25, 11, "NAV – Arbeids- og velferdsetaten", true);
  c.Text(20, 36, 22, "Førsteside", true);
  c.Text(20, 44, 11, KindTitle(sheet.kind) + " – legg denne siden øverst, ikke stift.");

  auto code128 = DrawBarcode(Symbology::kCode128, sheet.id, ModulePx(0.4, dpi), c.Px(16));
  if (!code128.ok()) return code128.status();
  c.Paste(*code128, 20, 52);
  c.Text(20, 74, 12, sheet.id);
  auto matrix = DrawBarcode(Symbology::kDataMatrix, sheet.id, ModulePx(kMatrixModuleMm, dpi));
  if (!matrix.ok()) return matrix.status();
  c.Paste(*matrix, kMatrixLeftMm, kMatrixTopMm);

  double y = 92;
  auto line = [&](const std::string& label, const std::string& value) {
    c.Text(20, y, 12, label, true);
    c.Text(70, y, 12, value);
    y += 8;
  };
  line("Gjelder:", sheet.title);
  line("Navn:", sheet.person_name.empty() ? "(oppgis av avsender)" : sheet.person_name);
  line("Fødselsnummer:", MaskPersonId(sheet.person_id));
  const AreaRule* area = rules.Area(sheet.area);
  line("Tema:", sheet.area + (area ? " – " + area->name : ""));
  if (!sheet.case_id.empty()) line("Saksnummer:", sheet.case_id);
  line("Enhet:", sheet.unit);

  y += 6;
  c.Text(20, y, 12, "Send disse dokumentene sammen med denne siden:", true);
  y += 8;
  if (sheet.expected.empty()) {
    c.Text(25, y, 12, "Dokumentene saken gjelder.");
    y += 7;
  }
  for (const auto& type : sheet.expected) {
    c.Fill(25, y - 4, 4, 0.4);
    c.Fill(25, y - 0.4, 4, 0.4);
    c.Fill(25, y - 4, 0.4, 4);
    c.Fill(28.6, y - 4, 0.4, 4);
    c.Text(32, y, 12, rules.TitleOf(type));
    y += 7;
  }
  double ay = 250;
  c.Text(20, ay, 11, "Returadresse:", true);
  for (const auto& l : rules.return_address()) c.Text(20, ay += 6, 11, l);
  // Only the date: who issued it is in the store, not the citizen's business.
  c.Text(20, 285, 8, "Utstedt " + sheet.issued_at.substr(0, 10));
  return c.Snapshot();
}

Result<std::string> CoverSheetPdf(const CoverSheet& sheet, const Rules& rules, const Fonts& fonts) {
  constexpr int kDpi = 300;
  auto page = DrawCoverSheet(sheet, rules, kDpi, fonts);
  if (!page.ok()) return page.status();
  Image bitonal(pixThresholdToBinary(page->get(), 160));
  pixSetResolution(bitonal.get(), kDpi, kDpi);
  l_uint8* data = nullptr;
  size_t size = 0;
  const std::string title = "Førsteside " + sheet.id;
  if (pixConvertToPdfData(bitonal.get(), L_G4_ENCODE, 0, &data, &size, 0, 0, kDpi, title.c_str(),
                          nullptr, 0) != 0 ||
      !data)
    return Status::IOError("cover sheet PDF cannot be written");
  std::string pdf(reinterpret_cast<const char*>(data), size);
  lept_free(data);
  return DatedPdf(std::move(pdf), sheet.issued_at);
}

std::string DatedPdf(std::string pdf, const std::string& iso) {
  static const std::string kKey = "/CreationDate (D:";
  const size_t at = pdf.find(kKey);
  // "2026-12-01T02:23:34Z" -> "20261201022334", the 14 digits Leptonica wrote.
  std::string digits;
  for (char ch : iso.substr(0, 19))
    if (ch >= '0' && ch <= '9') digits += ch;
  if (at == std::string::npos || digits.size() != 14 || at + kKey.size() + 14 > pdf.size())
    return pdf;
  pdf.replace(at + kKey.size(), 14, digits);
  return pdf;
}

Result<Image> DrawSeparatorSheet(int dpi) {
  auto canvas_or = Canvas::Create(dpi);
  if (!canvas_or.ok()) return canvas_or.status();
  Canvas& c = *canvas_or;
  c.Text(20, 40, 28, "SKILLEARK", true);
  c.Text(20, 52, 12, "Ny forsendelse uten førsteside starter etter dette arket.");
  auto code = DrawBarcode(Symbology::kCode128, kSeparatorPayload, ModulePx(0.4, dpi), c.Px(18));
  if (!code.ok()) return code.status();
  c.Paste(*code, 20, 65);
  return c.Snapshot();
}

}  // namespace postmottak
