// Receiving a batch through the API (POST /api/v1/batches, multipart/form-data: one part
// per scanned file, optionally manifest.json). The parts are streamed to a folder beside
// the inbox, never held in memory, and the folder is delivered to the inbox whole, with
// a manifest naming the batch, so that it is taken like any dropped batch: by the same
// thread, resumed the same way after a crash.
//
// Bounds: the body's size (ServerLimits::max_upload_bytes, refused from Content-Length
// before a byte is read), the number of files, and file names (a plain name of letters,
// digits, '.', '_' and '-' with a scan's extension: no folder, no traversal, nothing
// hidden).
#ifndef POSTMOTTAK_CLI_SERVER_BATCH_UPLOAD_H_
#define POSTMOTTAK_CLI_SERVER_BATCH_UPLOAD_H_

#include <cstdint>
#include <functional>
#include <string>

#include "cli/server/inbox.h"
#include "cli/server/server_config.h"

namespace postmottak {

// One part of the body as the HTTP layer hands it over: on_part(file name) for each part
// in turn, then on_data for its bytes; either returns false to stop reading.
using PartReader =
    std::function<bool(const std::function<bool(const std::string& filename)>& on_part,
                       const std::function<bool(const char*, size_t)>& on_data)>;

struct UploadedBatch {
  std::string batch;  // the batch's name, and its folder's in the inbox
  int files = 0;
  int64_t bytes = 0;
};

// Reads the parts into a staging folder and delivers it to `inbox` as `principal` for
// `purpose`. `batch` is the name asked for (empty: the manifest's, else one made from the
// time). InvalidArgument names the bad part; AlreadyExists when the name is taken.
Result<UploadedBatch> ReceiveBatch(const PartReader& read, const std::string& batch,
                                   const ServerLimits& limits, Inbox* inbox,
                                   const std::string& principal, const std::string& purpose);

}  // namespace postmottak

#endif  // POSTMOTTAK_CLI_SERVER_BATCH_UPLOAD_H_
