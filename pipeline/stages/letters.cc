#include "pipeline/stages/letters.h"

#include <leptonica/allheaders.h>

#include <memory>
#include <sstream>

#include "pipeline/stages/cover_sheet.h"

namespace postmottak {

namespace {

constexpr int kPrintDpi = 300;
constexpr double kLeftMm = 20, kRightMm = 190;

// Words of `text` in lines no wider than `width_mm` at `size_pt`.
std::vector<std::string> Wrap(Canvas& c, const std::string& text, double size_pt, double width_mm) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  for (std::string word; in >> word;) {
    const std::string longer = line.empty() ? word : line + " " + word;
    if (!line.empty() && c.TextWidth(size_pt, longer) > width_mm) {
      lines.push_back(line);
      line = word;
    } else {
      line = longer;
    }
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

// The salutation block: who the letter is to.
std::string Addressee(const Letter& letter, const Case& c) {
  const std::string name = c.person_name.empty() ? "deg" : c.person_name;
  if (letter.recipient == "doctor") return "Til legen som behandler " + name;
  if (letter.recipient == "employer") return "Til arbeidsgiveren til " + name;
  return c.person_name.empty() ? "Til mottaker" : "Til " + c.person_name;
}

// An area's name inside a sentence: "om dagpenger", "om økonomisk sosialhjelp".
std::string InSentence(std::string name) {
  if (!name.empty() && name[0] >= 'A' && name[0] <= 'Z') {
    name[0] = static_cast<char>(name[0] - 'A' + 'a');
  } else if (name.size() > 1 && name[0] == '\xC3' &&
             (name[1] == '\x86' || name[1] == '\x98' || name[1] == '\x85')) {
    name[1] = static_cast<char>(name[1] + 0x20);  // Æ Ø Å
  }
  return name;
}

std::string Opening(const Letter& letter, const Case& c, const Rules& rules) {
  const AreaRule* area = rules.Area(c.area);
  const std::string about = area ? InSentence(area->name) : c.area;
  const std::string subject =
      letter.recipient == "citizen" || c.person_name.empty()
          ? "Vi behandler saken din om " + about + "."
          : "Vi behandler saken om " + about + " for " + c.person_name + ".";
  if (letter.kind == "reminder")
    return subject +
           " Vi har fortsatt ikke fått dokumentene vi ba om, og uten dem kan vi ikke "
           "behandle saken ferdig.";
  return subject + " For å kunne avgjøre saken trenger vi dokumentene nedenfor.";
}

// Draws `lines` from `y` and returns the next line's position.
double Paragraph(Canvas& c, double y, const std::string& text, double size_pt = 11) {
  for (const auto& line : Wrap(c, text, size_pt, kRightMm - kLeftMm)) {
    c.Text(kLeftMm, y, size_pt, line);
    y += size_pt * 0.5;
  }
  return y + 3;
}

Result<Image> Bitonal(const Image& gray) {
  Image out(pixThresholdToBinary(gray.get(), 160));
  if (!out.get()) return Status::IOError("letter page cannot be made bitonal");
  pixSetResolution(out.get(), kPrintDpi, kPrintDpi);
  return out;
}

}  // namespace

std::string BokmalDate(const std::string& date) {
  static const char* const kMonths[] = {"januar",    "februar", "mars",     "april",
                                        "mai",       "juni",    "juli",     "august",
                                        "september", "oktober", "november", "desember"};
  if (date.size() < 10 || date[4] != '-' || date[7] != '-') return date;
  const int month = std::atoi(date.substr(5, 2).c_str());
  const int day = std::atoi(date.substr(8, 2).c_str());
  if (month < 1 || month > 12 || day < 1) return date;
  return std::to_string(day) + ". " + kMonths[month - 1] + " " + date.substr(0, 4);
}

Letter WriteLetter(Change& change, const Rules& rules, Case* c, const std::string& kind,
                   const std::string& recipient, std::vector<std::string> documents,
                   const std::string& cover_id, const std::string& now) {
  Letter letter;
  letter.id = c->id + "-L" + std::to_string(c->letters.size() + 1);
  letter.kind = kind;
  letter.recipient = recipient;
  letter.documents = std::move(documents);
  letter.answer_by = AddDays(now, rules.response_days()).substr(0, 10);
  letter.cover_id = cover_id;
  letter.unit = c->unit;
  letter.written_at = now;
  c->letters.push_back(letter);
  std::string what;
  for (const auto& type : letter.documents) what += (what.empty() ? "" : ", ") + type;
  change.Log("write_letter", "letter/" + letter.id,
             kind + " to the " + recipient + " for " + what + ", answer by " + letter.answer_by,
             {c->id, c->person_id});
  return letter;
}

Result<Image> DrawLetter(const Letter& letter, const Case& c, const Rules& rules, int dpi,
                         const Fonts& fonts) {
  auto canvas = Canvas::Create(dpi, fonts);
  if (!canvas.ok()) return canvas.status();
  Canvas& page = *canvas;
  page.Text(kLeftMm, 22, 11, "NAV – Arbeids- og velferdsetaten", true);
  const UnitRule* unit = rules.Unit(letter.unit);
  double ry = 22;
  for (const std::string& line : {"Dato: " + BokmalDate(letter.written_at), "Saksnummer: " + c.id,
                                  "Enhet: " + letter.unit, std::string(unit ? unit->name : "")}) {
    if (line.empty()) continue;
    page.Text(125, ry, 10, line);
    ry += 5.5;
  }

  page.Text(kLeftMm, 50, 11, Addressee(letter, c), true);
  page.Text(kLeftMm, 56, 11, "Fødselsnummer: " + MaskPersonId(c.person_id));

  page.Text(kLeftMm, 75, 16,
            letter.kind == "reminder" ? "Påminnelse: vi mangler fortsatt dokumenter"
                                      : "Vi trenger flere dokumenter",
            true);
  double y = Paragraph(page, 86, Opening(letter, c, rules));
  page.Text(kLeftMm, y, 11, "Dette trenger vi:", true);
  y += 8;
  for (const auto& type : letter.documents) {
    page.Fill(kLeftMm + 5, y - 4, 4, 0.4);
    page.Fill(kLeftMm + 5, y - 0.4, 4, 0.4);
    page.Fill(kLeftMm + 5, y - 4, 0.4, 4);
    page.Fill(kLeftMm + 8.6, y - 4, 0.4, 4);
    page.Text(kLeftMm + 12, y, 11, rules.TitleOf(type));
    y += 7;
  }
  y += 4;
  y = Paragraph(page, y,
                "Send dokumentene til oss innen " + BokmalDate(letter.answer_by) +
                    ". Legg førstesiden som følger med dette brevet, øverst, så kommer "
                    "dokumentene rett til saken. Ikke stift arkene sammen.");
  y = Paragraph(page, y,
                letter.kind == "reminder"
                    ? "Får vi ikke dokumentene innen fristen, avgjør vi saken på grunnlag av "
                      "opplysningene vi har."
                    : "Får vi ikke dokumentene innen fristen, sender vi en påminnelse. Etter det "
                      "kan saken bli avgjort på grunnlag av opplysningene vi har.");
  y = Paragraph(page, y,
                "Har du spørsmål, ring oss på 55 55 33 33 og oppgi saksnummeret " + c.id + ".");
  page.Text(kLeftMm, y + 6, 11, "Med vennlig hilsen");
  page.Text(kLeftMm, y + 12, 11, unit ? unit->name : "NAV enhet " + letter.unit);

  double ay = 255;
  page.Text(kLeftMm, ay, 9, "Returadresse:", true);
  for (const auto& l : rules.return_address()) page.Text(kLeftMm, ay += 4.5, 9, l);
  page.Text(kLeftMm, 287, 8, "Brev " + letter.id);
  return page.Snapshot();
}

Result<std::string> LetterPdf(const Letter& letter, const Case& c, const CoverSheet& sheet,
                              const Rules& rules, const Fonts& fonts) {
  auto letter_page = DrawLetter(letter, c, rules, kPrintDpi, fonts);
  if (!letter_page.ok()) return letter_page.status();
  auto cover_page = DrawCoverSheet(sheet, rules, kPrintDpi, fonts);
  if (!cover_page.ok()) return cover_page.status();
  std::unique_ptr<PIXA, void (*)(PIXA*)> pages(pixaCreate(2), [](PIXA* p) { pixaDestroy(&p); });
  for (const Image* gray : {&*letter_page, &*cover_page}) {
    auto bitonal = Bitonal(*gray);
    if (!bitonal.ok()) return bitonal.status();
    pixaAddPix(pages.get(), bitonal->get(), L_COPY);
  }
  l_uint8* data = nullptr;
  size_t size = 0;
  const std::string title = "Brev " + letter.id;
  if (pixaConvertToPdfData(pages.get(), kPrintDpi, 1.0, L_G4_ENCODE, 0, title.c_str(), &data,
                           &size) != 0 ||
      !data)
    return Status::IOError("letter PDF cannot be written");
  std::string pdf(reinterpret_cast<const char*>(data), size);
  lept_free(data);
  return DatedPdf(std::move(pdf), letter.written_at);
}

}  // namespace postmottak
