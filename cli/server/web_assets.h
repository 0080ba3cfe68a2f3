// The workbench's pages (cli/server/web/), carried in the binary: the server serves them
// from memory, never from the file system, so no request names a file.
#ifndef POSTMOTTAK_CLI_SERVER_WEB_ASSETS_H_
#define POSTMOTTAK_CLI_SERVER_WEB_ASSETS_H_

#include <map>
#include <string>

namespace postmottak {

struct WebAsset {
  const char* content_type;
  const char* body;
};

// By URL path: "/index.html", "/app.js", "/app.css".
const std::map<std::string, WebAsset>& WebAssets();

}  // namespace postmottak

#endif  // POSTMOTTAK_CLI_SERVER_WEB_ASSETS_H_
