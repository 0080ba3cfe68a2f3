// Metrics: what `postmottak serve` has done, in the Prometheus text format (version
// 0.0.4) at GET /metrics. Requests are counted by route name and status, never by path:
// ids in paths would make a label per case, and a person id must never become a label.
//
// Threads: Observe() from any request thread; Render() from any.
#ifndef POSTMOTTAK_CLI_SERVER_METRICS_H_
#define POSTMOTTAK_CLI_SERVER_METRICS_H_

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "cli/server/inbox.h"

namespace postmottak {

// The store's backlog at the time of the scrape (counts only).
struct BacklogGauges {
  bool known = false;  // false when the store could not be counted
  int64_t manual_journaling = 0;
  int64_t quarantine_held = 0;
};

class ServerMetrics {
 public:
  // Upper bounds of the latency histogram's buckets, in seconds.
  static constexpr std::array<double, 11> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                      0.5,   1,    2.5,   5,    10};

  // One answered request: `route` is the route's name ("cases.show"), or "unrouted".
  void Observe(const std::string& route, int status, double seconds);
  std::string Render(const InboxCounters* inbox, const BacklogGauges& backlog) const;

 private:
  struct Series {
    std::array<int64_t, kBuckets.size()> buckets{};  // cumulative when rendered
    int64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, Series> requests_;
};

}  // namespace postmottak

#endif  // POSTMOTTAK_CLI_SERVER_METRICS_H_
