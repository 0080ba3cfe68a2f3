// The OpenAPI 3 document of the API (GET /api/v1/openapi.json), written from the route
// table, so that what is documented is what is served; a test walks every path in it.
#ifndef POSTMOTTAK_CLI_SERVER_OPENAPI_H_
#define POSTMOTTAK_CLI_SERVER_OPENAPI_H_

#include <nlohmann/json.hpp>

namespace postmottak {

nlohmann::json OpenApiDocument();

}  // namespace postmottak

#endif  // POSTMOTTAK_CLI_SERVER_OPENAPI_H_
