// postmottak-samples: writes a sample mail batch, its ground truth, and registers the
// batch's cases in a store, ready for `postmottak intake`.
#include <CLI/CLI.hpp>
#include <iostream>

#include "samples/generator.h"

int main(int argc, char** argv) {
  CLI::App app{"Generates a realistic scanned mail batch with ground truth"};
  postmottak::SampleOptions options;
  std::string db, rules_path = POSTMOTTAK_DEFAULT_RULES;
  app.add_option("--out", options.out_dir, "folder for scans/ and truth.json")->required();
  app.add_option("--db", db, "store in which to register the batch's cases")->required();
  app.add_option("--rules", rules_path, "rules file");
  app.add_option("--pages", options.pages, "at least this many pages");
  app.add_option("--seed", options.seed, "random seed: the same seed gives the same batch");
  app.add_option("--first-case", options.first_case,
                 "the first case number (2026-NNNNNN) the batch registers; another batch into "
                 "the same store needs another range")
      ->capture_default_str();
  app.add_option("--pages-per-file", options.pages_per_file, "pages per scanned file");
  std::string level = "office", mix = "typical";
  app.add_option("--level", level, "degradation: clean, office, poor or fax")
      ->check(CLI::IsMember({"clean", "office", "poor", "fax"}));
  app.add_option("--mix", mix, "typical, or cover_sheets (cover sheets and short documents)")
      ->check(CLI::IsMember({"typical", "cover_sheets"}));
  app.add_flag("--page-images", options.page_images,
               "also write every scanned page as pages/<file>-pNNN.png");
  app.add_flag("--ambiguous", options.ambiguous,
               "also a medical certificate, without cover sheet, of a person with two open "
               "cases it fits: left for manual journaling");
  bool clean = false;
  app.add_flag("--clean", clean, "same as --level clean");
  CLI11_PARSE(app, argc, argv);
  postmottak::ParseDegradation(clean ? "clean" : level, &options.degradation);
  options.mix =
      mix == "cover_sheets" ? postmottak::SampleMix::kCoverSheets : postmottak::SampleMix::kTypical;

  auto rules = postmottak::Rules::Load(rules_path);
  if (!rules.ok()) {
    std::cerr << "postmottak-samples: " << rules.status().message() << "\n";
    return 2;
  }
  auto store = postmottak::Store::Open(db);
  if (!store.ok()) {
    std::cerr << "postmottak-samples: " << store.status().message() << "\n";
    return 3;
  }
  auto batch = postmottak::GenerateSamples(store->get(), *rules, options);
  if (!batch.ok()) {
    std::cerr << "postmottak-samples: " << batch.status().message() << "\n";
    return 1;
  }
  std::cout << "Sample batch: " << batch->pages << " pages in " << batch->files.size()
            << " files under " << options.out_dir << "/scans, " << batch->truth["cases"].size()
            << " cases registered, ground truth in " << options.out_dir << "/truth.json\n";
  return 0;
}
