# Writes OUT, a C++ file holding each of FILES (in DIR, comma-separated) as a string under its URL path,
# so that the server carries its pages and serves nothing from the file system.
# Run by cli/CMakeLists.txt whenever a file changes.
file(WRITE ${OUT} "// Generated from cli/server/web by embed.cmake: do not edit.\n"
                  "#include \"cli/server/web_assets.h\"\n\nnamespace postmottak {\n\n"
                  "const std::map<std::string, WebAsset>& WebAssets() {\n"
                  "  static const std::map<std::string, WebAsset> assets = {\n")
string(REPLACE "," ";" FILES "${FILES}")
foreach(name ${FILES})
  file(READ ${DIR}/${name} content)
  string(FIND "${content}" ")PMWEB" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${name} holds the raw string's delimiter")
  endif()
  get_filename_component(ext ${name} EXT)
  if(ext STREQUAL ".html")
    set(type "text/html; charset=utf-8")
  elseif(ext STREQUAL ".js")
    set(type "text/javascript; charset=utf-8")
  elseif(ext STREQUAL ".css")
    set(type "text/css; charset=utf-8")
  else()
    message(FATAL_ERROR "no content type for ${name}")
  endif()
  file(APPEND ${OUT} "      {\"/${name}\", {\"${type}\", R\"PMWEB(${content})PMWEB\"}},\n")
endforeach()
file(APPEND ${OUT} "  };\n  return assets;\n}\n\n}  // namespace postmottak\n")
