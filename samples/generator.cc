#include "samples/generator.h"

#include <leptonica/allheaders.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "codecs/check_digits.h"
#include "codecs/page_source.h"
#include "codecs/sha256.h"
#include "codecs/text_raster.h"
#include "pipeline/services/case_service.h"
#include "pipeline/stages/completeness.h"
#include "pipeline/stages/cover_sheet.h"
#include "pipeline/stages/inventory.h"

namespace postmottak {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// SplitMix64: small, fast, and the same on every platform (unlike std distributions).
uint64_t Next(uint64_t* s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}
int Uniform(uint64_t* s, int lo, int hi) {  // inclusive
  return lo + static_cast<int>(Next(s) % static_cast<uint64_t>(hi - lo + 1));
}
double Real(uint64_t* s) { return (Next(s) >> 11) * (1.0 / 9007199254740992.0); }
template <typename T>
const T& Pick(uint64_t* s, const std::vector<T>& v) {
  return v[Next(s) % v.size()];
}

const std::vector<std::string> kFirstNames = {
    "Kari", "Ola",     "Ingrid", "Per",  "Sigrid", "Lars", "Astrid", "Nils", "Marit",
    "Jon",  "Solveig", "Erik",   "Tone", "Arne",   "Liv",  "Bjørn",  "Hege", "Øystein"};
const std::vector<std::string> kLastNames = {"Nordvik",   "Haugland", "Bakkelund", "Strømsli",
                                             "Fjellheim", "Lindås",   "Brekkestø", "Solbakk",
                                             "Åsmyr",     "Tveitane", "Rønningen", "Kvalvåg"};
// Ordinary sentences. None of them comes within an edit or two of a document-type
// keyword, so continuation pages carry no title.
const std::vector<std::string> kSentences = {
    "Pasienten har vært til kontroll ved legekontoret flere ganger i løpet av våren.",
    "Det er gjennomført undersøkelser av rygg og skulder uten funn av betydning.",
    "Arbeidsevnen vurderes som nedsatt i en periode fremover.",
    "Vi ber om at saken behandles så snart som mulig.",
    "Opplysningene er gitt etter beste skjønn og er korrekte.",
    "Arbeidstakeren har vært ansatt i full stilling siden januar.",
    "Lønnen utbetales den tjuende i hver måned.",
    "Ytterligere opplysninger kan gis ved behov.",
    "Behandlingen fortsetter med fysioterapi to ganger i uken.",
    "Jeg har ikke hatt inntekt fra annet arbeid i perioden.",
    "Barnet er ventet å bli født i begynnelsen av sommeren.",
    "Jeg bor fast i kommunen og har bodd her i mange år.",
    "Det vises til tidligere korrespondanse i saken.",
    "Arbeidsgiver har forsøkt tilrettelegging uten at dette har lyktes.",
    "Timelisten for perioden er vedlagt i kopi.",
    "Jeg ønsker svar per post til adressen over.",
};

std::string TwoDigits(int v) {
  char b[8];
  std::snprintf(b, sizeof b, "%02d", v);
  return b;
}

struct PersonRec {
  std::string id, name;
};

// One page to be "scanned": the clean rendering plus its truth.
struct PagePlan {
  Image image;       // 8 bpp, upright, clean
  std::string kind;  // cover_sheet, separator, blank, content
  int dpi = 300;
  std::string text;      // content pages: the lines printed on it
  std::string case_id;   // the true case of the document (or cover sheet) it belongs to
  std::string cover_id;  // cover sheets: the id its barcodes carry
};

struct DocPlan {
  std::string type;
  std::string true_case;      // the case it belongs to ("" when none)
  std::string route;          // cover_sheet, text, manual
  std::string intended_case;  // manual: where a person journaling it should place it
  bool carries_person_id = false;
  std::vector<int> page_index;  // into the piece's pages
};

struct PiecePlan {
  std::vector<PagePlan> pages;
  std::vector<DocPlan> docs;
};

class Generator {
 public:
  Generator(Store* store, const Rules& rules, const SampleOptions& o)
      : store_(store), rules_(rules), o_(o), rng_(o.seed) {}

  Result<SampleBatch> Run();

 private:
  Status MakeCases();
  Result<CaseService> Service();
  Result<Image> DocumentPage(const std::string& type, const PersonRec* person,
                             const std::string& case_no, int page_no, int pages, int dpi,
                             const std::string& area, std::string* text);
  Result<PiecePlan> CoverPiece(const Case& c, const CoverSheet& sheet, int dpi);
  // Mail pieces one after the other, each behind its cover sheet (a case's letters went
  // to several senders).
  Result<PiecePlan> CoverPieces(const Case& c, const std::vector<CoverSheet>& sheets, int dpi);
  Result<PiecePlan> TextPiece(int dpi);
  // A family's change notice: a person with single-parent benefit (4402) and child
  // benefit (0301) sends a marriage certificate behind the first case's cover sheet, so
  // that intake raises a notice on the second. Drawn from its own random stream, after
  // the batch, so the rest of a seed's batch stays as it was.
  Result<PiecePlan> ChangeNoticePiece();
  // A medical certificate sent without its cover sheet by a person with two open cases
  // it fits: an AAP case that awaits it and a SYK case that accepts it. Its text names
  // the person and no case, so intake must not guess: it waits for a person, who places
  // it on the AAP case (truth: route "manual", intended_case).
  Result<PiecePlan> AmbiguousPiece();
  // A new person with a case in each of `area_units` (area, unit), registered.
  Result<std::vector<Case>> PersonWithCases(
      uint64_t* rng, const std::vector<std::pair<std::string, std::string>>& area_units);
  Status AddDocument(PiecePlan* piece, DocPlan doc, const PersonRec* person,
                     const std::string& case_no, const std::string& area, int dpi, bool duplex);
  int PickDpi();
  Image Degrade(const Image& clean, int dpi, int* rotation);
  Status WriteFile(const std::vector<PagePlan>& pages, bool as_pdf, bool gray,
                   const std::string& path);
  Status WritePageImages(const std::string& path, const std::string& stem, json* truth_pages);

  Store* store_;
  const Rules& rules_;
  SampleOptions o_;
  uint64_t rng_;
  std::vector<PersonRec> persons_;
  std::vector<Case> cases_;
  std::map<std::string, std::vector<std::string>> cases_of_person_;
};

Result<CaseService> Generator::Service() {
  static const Policy policy;  // the built-in roles
  auto principal = policy.MakePrincipal(o_.principal, "4400", Domain::kState, {"case_system"});
  if (!principal.ok()) return principal.status();
  return CaseService(store_, &rules_, &policy, *principal, "sample cases");
}

Status Generator::MakeCases() {
  auto service_or = Service();
  if (!service_or.ok()) return service_or.status();
  CaseService& service = *service_or;
  // About one case per eight pages; every fifth person has a second case in another
  // area, which makes text-only documents of theirs ambiguous.
  const int n_cases =
      std::max(6, o_.mix == SampleMix::kCoverSheets ? o_.pages / 3 + 1 : o_.pages / 8);
  const std::vector<std::string> areas = {"AAP", "SYK", "DAG", "FOR", "AAP", "SYK", "BAR", "PEN"};
  int serial = 1;
  while (static_cast<int>(cases_.size()) < n_cases) {
    PersonRec p;
    p.id = SyntheticPersonId(&rng_);
    p.name = Pick(&rng_, kFirstNames) + " " + Pick(&rng_, kLastNames);
    persons_.push_back(p);
    const int count = persons_.size() % 5 == 0 ? 2 : 1;
    std::set<std::string> used;
    for (int k = 0; k < count; ++k) {
      std::string area = Pick(&rng_, areas);
      if (used.count(area)) area = area == "AAP" ? "DAG" : "AAP";
      used.insert(area);
      NewCase nc;
      char id[32];
      std::snprintf(id, sizeof id, "2026-%06d", o_.first_case - 1 + serial++);
      nc.id = id;
      nc.person_id = p.id;
      nc.person_name = p.name;
      nc.area = area;
      nc.unit = Pick(&rng_, std::vector<std::string>{"0301", "4402", "1103"});
      auto c = service.AddCase(nc);
      if (!c.ok()) return c.status();
      cases_.push_back(*c);
      cases_.back().person_id = p.id;  // the service hands it back masked
      cases_of_person_[p.id].push_back(c->id);
    }
  }
  return Status::OK();
}

Result<Image> Generator::DocumentPage(const std::string& type, const PersonRec* person,
                                      const std::string& case_no, int page_no, int pages, int dpi,
                                      const std::string& area, std::string* text) {
  auto line = [text](const std::string& s) { *text += (text->empty() ? "" : "\n") + s; };
  auto canvas = Canvas::Create(dpi);
  if (!canvas.ok()) return canvas.status();
  Canvas& c = *canvas;
  double y = 30;
  if (page_no == 1) {
    std::string title = rules_.TitleOf(type);
    if (type == "application" && rules_.Area(area)) {
      std::string name = rules_.Area(area)->name;
      name[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(name[0])));
      title += " om " + name;
    }
    if (type == "unknown") title = "Brev til NAV";
    c.Text(20, y, 20, title, true);
    line(title);
    y += 14;
    if (person) {
      c.Text(20, y, 12, "Navn: " + person->name);
      line("Navn: " + person->name);
      y += 8;
      const std::string pid = person->id.substr(0, 6) + " " + person->id.substr(6);
      c.Text(20, y, 12, "Fødselsnummer: " + pid);
      line("Fødselsnummer: " + pid);
      y += 8;
    }
    if (!case_no.empty()) {
      c.Text(20, y, 12, "Saksnummer: " + case_no);
      line("Saksnummer: " + case_no);
      y += 8;
    }
    const std::string date = "Dato: " + TwoDigits(Uniform(&rng_, 1, 28)) + "." +
                             TwoDigits(Uniform(&rng_, 1, 12)) + ".2026";
    c.Text(20, y, 12, date);
    line(date);
    y += 14;
  } else {
    const std::string side = "Side " + std::to_string(page_no) + " av " + std::to_string(pages);
    c.Text(20, y, 11, side);
    line(side);
    y += 12;
  }
  const int lines = Uniform(&rng_, 12, 22);
  for (int i = 0; i < lines && y < 270; ++i) {
    const std::string& sentence = Pick(&rng_, kSentences);
    c.Text(20, y, 12, sentence);
    line(sentence);
    y += 9;
  }
  return c.Snapshot();
}

Image BlankPage(int dpi) {
  const int w = static_cast<int>(std::lround(210 / 25.4 * dpi));
  const int h = static_cast<int>(std::lround(297 / 25.4 * dpi));
  Pix* pix = pixCreate(w, h, 8);
  pixSetAllArbitrary(pix, 255);
  pixSetResolution(pix, dpi, dpi);
  return Image(pix);
}

Status Generator::AddDocument(PiecePlan* piece, DocPlan doc, const PersonRec* person,
                              const std::string& case_no, const std::string& area, int dpi,
                              bool duplex) {
  const int pages = o_.mix == SampleMix::kCoverSheets ? Uniform(&rng_, 1, 2) : Uniform(&rng_, 1, 3);
  for (int p = 1; p <= pages; ++p) {
    std::string text;
    auto img = DocumentPage(doc.type, p == 1 ? person : nullptr, p == 1 ? case_no : "", p, pages,
                            dpi, area, &text);
    if (!img.ok()) return img.status();
    doc.page_index.push_back(static_cast<int>(piece->pages.size()));
    piece->pages.push_back({std::move(img).value(), "content", dpi, text, doc.true_case, ""});
    if (duplex) piece->pages.push_back({BlankPage(dpi), "blank", dpi, "", doc.true_case, ""});
  }
  piece->docs.push_back(std::move(doc));
  return Status::OK();
}

Result<PiecePlan> Generator::CoverPiece(const Case& c, const CoverSheet& sheet, int dpi) {
  PiecePlan piece;
  const bool duplex = Real(&rng_) < 0.4;
  auto cover = DrawCoverSheet(sheet, rules_, dpi);
  if (!cover.ok()) return cover.status();
  piece.pages.push_back({std::move(cover).value(), "cover_sheet", dpi, "", c.id, sheet.id});
  if (duplex) piece.pages.push_back({BlankPage(dpi), "blank", dpi, "", c.id, ""});
  const PersonRec* person = nullptr;
  for (const auto& p : persons_)
    if (p.id == c.person_id) person = &p;
  for (const auto& type : sheet.expected) {
    DocPlan d;
    d.type = type;
    d.true_case = c.id;
    d.route = "cover_sheet";
    d.carries_person_id = Real(&rng_) < 0.5;
    PM_RETURN_IF_ERROR(
        AddDocument(&piece, d, d.carries_person_id ? person : nullptr, "", c.area, dpi, duplex));
  }
  return piece;
}

Result<std::vector<Case>> Generator::PersonWithCases(
    uint64_t* rng, const std::vector<std::pair<std::string, std::string>>& area_units) {
  auto service = Service();
  if (!service.ok()) return service.status();
  PersonRec p;
  p.id = SyntheticPersonId(rng);
  p.name = Pick(rng, kFirstNames) + " " + Pick(rng, kLastNames);
  persons_.push_back(p);
  std::vector<Case> family;
  for (const auto& [area, unit] : area_units) {
    NewCase nc;
    char id[32];
    std::snprintf(id, sizeof id, "2026-%06d", o_.first_case + static_cast<int>(cases_.size()));
    nc.id = id;
    nc.person_id = p.id;
    nc.person_name = p.name;
    nc.area = area;
    nc.unit = unit;
    auto c = service->AddCase(nc);
    if (!c.ok()) return c.status();
    cases_.push_back(*c);
    cases_.back().person_id = p.id;  // the service hands it back masked
    cases_of_person_[p.id].push_back(c->id);
    family.push_back(cases_.back());
  }
  return family;
}

Result<PiecePlan> Generator::ChangeNoticePiece() {
  uint64_t rng = o_.seed ^ 0x6d61727269616765ULL;  // "marriage"
  auto family = PersonWithCases(&rng, {{"ENF", "4402"}, {"BAR", "0301"}});
  if (!family.ok()) return family.status();
  auto service = Service();
  if (!service.ok()) return service.status();
  CoverSheetRequest req;
  req.case_id = (*family)[0].id;
  req.expected = {"marriage_certificate"};
  auto sheet = service->IssueCoverSheet(req);
  if (!sheet.ok()) return sheet.status();
  return CoverPiece((*family)[0], *sheet, PickDpi());
}

Result<PiecePlan> Generator::AmbiguousPiece() {
  uint64_t rng = o_.seed ^ 0x616d626967756f75ULL;  // "ambiguou"
  auto both = PersonWithCases(&rng, {{"AAP", "0301"}, {"SYK", "4402"}});
  if (!both.ok()) return both.status();
  PiecePlan piece;
  const int dpi = PickDpi();
  auto sep = DrawSeparatorSheet(dpi);
  if (!sep.ok()) return sep.status();
  piece.pages.push_back({std::move(sep).value(), "separator", dpi, "", "", ""});
  DocPlan d;
  d.type = "medical_certificate";
  d.route = "manual";
  d.intended_case = (*both)[0].id;
  d.carries_person_id = true;
  PM_RETURN_IF_ERROR(AddDocument(&piece, d, &persons_.back(), "", "AAP", dpi, false));
  return piece;
}

Result<PiecePlan> Generator::CoverPieces(const Case& c, const std::vector<CoverSheet>& sheets,
                                         int dpi) {
  PiecePlan all;
  for (const auto& sheet : sheets) {
    auto piece = CoverPiece(c, sheet, dpi);
    if (!piece.ok()) return piece.status();
    const int base = static_cast<int>(all.pages.size());
    for (auto& page : piece->pages) all.pages.push_back(std::move(page));
    for (auto& doc : piece->docs) {
      for (int& i : doc.page_index) i += base;
      all.docs.push_back(std::move(doc));
    }
  }
  return all;
}

// A piece without a cover sheet: a separator sheet first, then one document.
Result<PiecePlan> Generator::TextPiece(int dpi) {
  PiecePlan piece;
  auto sep = DrawSeparatorSheet(dpi);
  if (!sep.ok()) return sep.status();
  piece.pages.push_back({std::move(sep).value(), "separator", dpi, "", "", ""});
  // Only areas that accept further document types: such a document never changes a
  // case's completeness, so the expected tasks do not hang on OCR of its text.
  std::vector<Case> open_to_more;
  for (const auto& k : cases_)
    if (!rules_.Area(k.area)->accepts.empty()) open_to_more.push_back(k);
  const double r = Real(&rng_);
  DocPlan d;
  if (r < 0.75 && !open_to_more.empty()) {
    // A document naming a person with a case: linkable when exactly one of their open
    // cases accepts the document type.
    const Case& c = Pick(&rng_, open_to_more);
    const std::vector<std::string>& types = rules_.Area(c.area)->accepts;
    d.type = Pick(&rng_, types);
    d.carries_person_id = true;
    std::vector<std::string> plausible;
    for (const auto& id : cases_of_person_[c.person_id]) {
      for (const auto& other : cases_)
        if (other.id == id && rules_.Plausible(other.area, d.type)) plausible.push_back(id);
    }
    const bool with_case_no = Real(&rng_) < 0.25;
    if (with_case_no || plausible.size() == 1) {
      d.true_case = c.id;
      d.route = "text";
    } else {
      d.true_case = "";
      d.route = "manual";
    }
    const PersonRec* person = nullptr;
    for (const auto& p : persons_)
      if (p.id == c.person_id) person = &p;
    PM_RETURN_IF_ERROR(
        AddDocument(&piece, d, person, with_case_no ? c.id : "", c.area, dpi, false));
  } else {
    // Loose mail with no identifiers: only a person can journal it.
    d.type = "unknown";
    d.route = "manual";
    PM_RETURN_IF_ERROR(AddDocument(&piece, d, nullptr, "", "", dpi, false));
  }
  return piece;
}

int Generator::PickDpi() {
  switch (o_.degradation) {
    case Degradation::kClean:
      return 300;
    case Degradation::kOffice:
      return Real(&rng_) < 0.3 ? 200 : 300;
    case Degradation::kPoor:
      return 200;
    case Degradation::kFax:
      return Real(&rng_) < 0.5 ? 100 : 200;
  }
  return 300;
}

Image Generator::Degrade(const Image& clean, int dpi, int* rotation) {
  Image page = clean.Clone();
  *rotation = 0;
  const Degradation level = o_.degradation;
  if (level == Degradation::kClean) return page;
  Pix* p = page.get();
  // Skew.
  double max_skew = 0;
  switch (level) {
    case Degradation::kOffice:
      max_skew = Real(&rng_) < 0.8 ? 2.0 : 5.0;
      break;
    case Degradation::kPoor:
      max_skew = 8.0;
      break;
    default:
      max_skew = 3.0;
  }
  page = RotateSmall(page, max_skew * (2 * Real(&rng_) - 1));
  p = page.get();
  const int w = pixGetWidth(p), h = pixGetHeight(p), wpl = pixGetWpl(p);
  l_uint32* data = pixGetData(p);
  // Faint print: worn toner, pencil, a light original.
  const double faint_share = level == Degradation::kPoor ? 0.33 : 0.125;
  if (Real(&rng_) < faint_share) {
    // Percent of the ink left. A fax machine darkens a light original before it
    // thresholds, so less of its faintness survives.
    const int keep = level == Degradation::kPoor ? 45 : level == Degradation::kFax ? 75 : 55;
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        int v = GET_DATA_BYTE(data + y * wpl, x);
        SET_DATA_BYTE(data + y * wpl, x, 255 - (255 - v) * keep / 100);
      }
  }
  // Speckle: scanner dust, heavy on a poor scanner.
  double density = Real(&rng_) < 0.2 ? 0.0004 : 0.00005;
  int max_size = dpi >= 300 ? 2 : 1;
  if (level == Degradation::kPoor) {
    density = 0.0008;
    max_size = 2;
  }
  const int specks = static_cast<int>(w * h * density);
  for (int i = 0; i < specks; ++i) {
    const int x = Uniform(&rng_, 0, w - 3), y = Uniform(&rng_, 0, h - 3);
    const int size = Uniform(&rng_, 1, max_size);
    for (int dy = 0; dy < size; ++dy)
      for (int dx = 0; dx < size; ++dx) SET_DATA_BYTE(data + (y + dy) * wpl, x + dx, 30);
  }
  // Fax: scan lines lost in transmission (white streaks) and line noise (black dots).
  if (level == Degradation::kFax) {
    for (int y = 0; y < h; ++y) {
      if (Real(&rng_) < 0.01) {
        for (int x = 0; x < w; ++x) SET_DATA_BYTE(data + y * wpl, x, 255);
      }
    }
    const int dots = w * h / 4000;
    for (int i = 0; i < dots; ++i)
      SET_DATA_BYTE(data + Uniform(&rng_, 0, h - 1) * wpl, Uniform(&rng_, 0, w - 1), 0);
  }
  // Pages fed sideways or upside down (a fax machine turns nothing).
  const double r = Real(&rng_);
  if (level != Degradation::kFax) {
    if (r < 0.05)
      *rotation = 90;
    else if (r < 0.10)
      *rotation = 180;
    else if (r < 0.12)
      *rotation = 270;
  }
  if (*rotation) page = RotateOrtho(page, *rotation);
  pixSetResolution(page.get(), dpi, dpi);
  return page;
}

Status Generator::WriteFile(const std::vector<PagePlan>& pages, bool as_pdf, bool gray,
                            const std::string& path) {
  // A fax thresholds hard (thin strokes break up); a poor scanner compresses hard.
  const int threshold = o_.degradation == Degradation::kFax ? 110 : 150;
  const int jpeg_quality = o_.degradation == Degradation::kPoor ? 30 : 80;
  Pixa* pixa = pixaCreate(static_cast<int>(pages.size()));
  for (const auto& p : pages) {
    Image out = gray ? p.image.Clone() : Image(pixThresholdToBinary(p.image.get(), threshold));
    pixSetResolution(out.get(), p.dpi, p.dpi);
    pixaAddPix(pixa, out.release(), L_INSERT);
  }
  l_ok rc = 0;
  if (as_pdf) {
    rc = pixaConvertToPdf(pixa, 0, 1.0, gray ? L_JPEG_ENCODE : L_G4_ENCODE, jpeg_quality, nullptr,
                          path.c_str());
  } else {
    rc = pixaWriteMultipageTiff(path.c_str(), pixa);
  }
  pixaDestroy(&pixa);
  if (rc != 0) return Status::IOError("cannot write " + path);
  return Status::OK();
}

// Decodes the file just written, as intake will, so the page images are exactly the
// pixels intake sees (JPEG artefacts included).
Status Generator::WritePageImages(const std::string& path, const std::string& stem,
                                  json* truth_pages) {
  const fs::path dir = fs::path(o_.out_dir) / "pages";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::IOError("cannot create " + dir.string() + ": " + ec.message());
  auto source = PageSource::Open(path, SourceLimits{});
  if (!source.ok()) return source.status();
  for (int i = 0; i < (*source)->page_count(); ++i) {
    auto image = (*source)->ReadPage(i);
    if (!image.ok()) return image.status();
    char name[32];
    std::snprintf(name, sizeof name, "-p%03d.png", i + 1);
    const std::string out = (dir / (stem + name)).string();
    auto png = EncodePng(*image);
    if (!png.ok()) return png.status();
    std::ofstream f(out, std::ios::binary);
    f << *png;
    if (!f) return Status::IOError("cannot write " + out);
    (*truth_pages)[i]["image"] = out;
  }
  return Status::OK();
}

Result<SampleBatch> Generator::Run() {
  PM_RETURN_IF_ERROR(MakeCases());
  const fs::path scans = fs::path(o_.out_dir) / "scans";
  std::error_code ec;
  fs::create_directories(scans, ec);
  if (ec) return Status::IOError("cannot create " + scans.string() + ": " + ec.message());

  // The follow-up cover sheets the store issued for the cases' missing documents.
  auto sheets = store_->List<CoverSheet>();
  if (!sheets.ok()) return sheets.status();
  // One per recipient of the request letters (citizen, employer, doctor), in issue order.
  std::map<std::string, std::vector<CoverSheet>> sheets_of_case;
  for (const auto& s : *sheets)
    if (!s.case_id.empty()) sheets_of_case[s.case_id].push_back(s);

  SampleBatch batch;
  json truth_pages = json::array(), truth_docs = json::array();
  std::map<std::string, std::set<std::string>> received;  // case -> types that will link

  std::vector<PagePlan> file_pages;
  json file_truth_pages = json::array();
  json manifest_files = json::array();  // what a scanning station lists beside its scans
  int file_no = 0;
  auto flush = [&]() -> Status {
    if (file_pages.empty()) return Status::OK();
    ++file_no;
    const bool as_pdf = file_no % 2 == 0;
    // Grayscale JPEG pages: one file in four; every PDF on a poor scanner; never by fax.
    const bool gray = as_pdf && o_.degradation != Degradation::kFax &&
                      (file_no % 4 == 0 || o_.degradation == Degradation::kPoor);
    char name[64];
    std::snprintf(name, sizeof name, "scan-%03d.%s", file_no, as_pdf ? "pdf" : "tif");
    const std::string path = (scans / name).string();
    PM_RETURN_IF_ERROR(WriteFile(file_pages, as_pdf, gray, path));
    for (auto& tp : file_truth_pages) tp["file"] = path;
    if (o_.page_images)
      PM_RETURN_IF_ERROR(WritePageImages(path, fs::path(name).stem().string(), &file_truth_pages));
    for (auto& tp : file_truth_pages) truth_pages.push_back(tp);
    for (auto& td : truth_docs)
      if (td["file"] == "") td["file"] = path;
    batch.files.push_back(path);
    manifest_files.push_back({{"name", name},
                              {"pages", static_cast<int>(file_pages.size())},
                              {"sha256", Sha256OfFile(path).value()}});
    file_pages.clear();
    file_truth_pages = json::array();
    return Status::OK();
  };

  // Scans a piece's pages into the current file (a new one when it would overflow) and
  // records their truth.
  auto add = [&](PiecePlan& piece) -> Status {
    if (static_cast<int>(file_pages.size() + piece.pages.size()) > o_.pages_per_file)
      PM_RETURN_IF_ERROR(flush());
    const int base = static_cast<int>(file_pages.size());
    for (auto& pp : piece.pages) {
      int rotation = 0;
      Image scanned = Degrade(pp.image, pp.dpi, &rotation);
      file_truth_pages.push_back({{"page", static_cast<int>(file_pages.size()) + 1},
                                  {"kind", pp.kind},
                                  {"rotation", rotation},
                                  {"dpi", pp.dpi},
                                  {"case", pp.case_id},
                                  {"cover_id", pp.cover_id},
                                  {"text", pp.text}});
      file_pages.push_back({std::move(scanned), pp.kind, pp.dpi, "", "", ""});
      ++batch.pages;
    }
    for (const auto& d : piece.docs) {
      json pages = json::array();
      for (int i : d.page_index) pages.push_back(base + i + 1);
      truth_docs.push_back({{"file", ""},
                            {"pages", pages},
                            {"type", d.type},
                            {"true_case", d.true_case},
                            {"route", d.route},
                            {"carries_person_id", d.carries_person_id}});
      if (!d.intended_case.empty()) truth_docs.back()["intended_case"] = d.intended_case;
    }
    return Status::OK();
  };

  size_t next_case = 0;
  int piece_no = 0;
  while (batch.pages < o_.pages) {
    const int dpi = PickDpi();
    Result<PiecePlan> piece = Status::NotFound("");
    ++piece_no;
    const bool cover_piece = o_.mix == SampleMix::kCoverSheets || piece_no % 3 != 0;
    if (o_.mix == SampleMix::kCoverSheets && next_case >= cases_.size()) break;
    if (cover_piece && next_case < cases_.size()) {
      const Case& c = cases_[next_case++];
      std::vector<CoverSheet> sent = sheets_of_case[c.id];
      // Two cases in three send everything; the rest send part of it (one recipient
      // answers, or one paper of several comes), or nothing.
      const double r = Real(&rng_);
      if (r > 0.66 && sent.size() > 1) {
        sent.resize(1);
      } else if (r > 0.66 && sent.size() == 1 && sent[0].expected.size() > 1) {
        sent[0].expected.resize(1);
      }
      if (r > 0.9 || sent.empty()) continue;
      piece = CoverPieces(c, sent, dpi);
      if (piece.ok())
        for (const auto& sheet : sent)
          for (const auto& t : sheet.expected) received[c.id].insert(t);
    } else {
      piece = TextPiece(dpi);
    }
    if (!piece.ok()) return piece.status();
    PM_RETURN_IF_ERROR(add(*piece));
  }
  if (o_.mix == SampleMix::kTypical) {
    auto notice = ChangeNoticePiece();
    if (!notice.ok()) return notice.status();
    PM_RETURN_IF_ERROR(add(*notice));
  }
  if (o_.ambiguous) {
    auto ambiguous = AmbiguousPiece();
    if (!ambiguous.ok()) return ambiguous.status();
    PM_RETURN_IF_ERROR(add(*ambiguous));
  }
  PM_RETURN_IF_ERROR(flush());

  json truth_cases = json::array(), missing = json::array(), ready = json::array();
  for (const auto& c : cases_) {
    truth_cases.push_back(
        {{"id", c.id}, {"person_id", c.person_id}, {"area", c.area}, {"required", c.required}});
    bool complete = true;
    for (const auto& t : c.required) {
      if (!received[c.id].count(t)) {
        missing.push_back({{"case", c.id}, {"type", t}});
        complete = false;
      }
    }
    if (complete) ready.push_back(c.id);
  }
  batch.truth = {{"seed", o_.seed},
                 {"degradation", ToString(o_.degradation)},
                 {"mix", o_.mix == SampleMix::kCoverSheets ? "cover_sheets" : "typical"},
                 {"pages", truth_pages},
                 {"documents", truth_docs},
                 {"cases", truth_cases},
                 {"expected_tasks", {{"missing", missing}, {"ready", ready}}}};
  {
    std::ofstream manifest(scans / kManifestName);
    manifest << json{{"files", manifest_files}}.dump(1) << "\n";
    if (!manifest) return Status::IOError("cannot write the manifest in " + scans.string());
  }
  std::ofstream out(fs::path(o_.out_dir) / "truth.json");
  out << batch.truth.dump(1) << "\n";
  if (!out) return Status::IOError("cannot write truth.json in " + o_.out_dir);
  return batch;
}

}  // namespace

std::string ToString(Degradation d) {
  switch (d) {
    case Degradation::kClean:
      return "clean";
    case Degradation::kOffice:
      return "office";
    case Degradation::kPoor:
      return "poor";
    case Degradation::kFax:
      return "fax";
  }
  return "office";
}

bool ParseDegradation(const std::string& name, Degradation* out) {
  for (Degradation d :
       {Degradation::kClean, Degradation::kOffice, Degradation::kPoor, Degradation::kFax}) {
    if (ToString(d) == name) {
      *out = d;
      return true;
    }
  }
  return false;
}

std::string SyntheticPersonId(uint64_t* state) {
  for (;;) {
    const int day = Uniform(state, 1, 28), month = Uniform(state, 1, 12),
              year = Uniform(state, 50, 99);
    const int individual = Uniform(state, 0, 499);
    char nine[48];
    std::snprintf(nine, sizeof nine, "%02d%02d%02d%03d", day, month + 80, year, individual);
    std::string check;
    if (PersonIdCheckDigits(nine, &check)) return nine + check;
  }
}

Result<SampleBatch> GenerateSamples(Store* store, const Rules& rules,
                                    const SampleOptions& options) {
  if (options.out_dir.empty()) return Status::InvalidArgument("sample output folder is required");
  if (options.pages < 1 || options.pages > 100000)
    return Status::InvalidArgument("pages must be 1 to 100000");
  Generator g(store, rules, options);
  return g.Run();
}

}  // namespace postmottak
