#include "pipeline/vendor/scan_metadata.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

#include <memory>

#include "codecs/xml_writer.h"

namespace postmottak {

extern const char kScanMetadataXsd[];

namespace {

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
struct ValidFree {
  void operator()(xmlSchemaValidCtxt* c) const { xmlSchemaFreeValidCtxt(c); }
};

// The schema, parsed once and shared read-only (libxml2 allows that across threads).
xmlSchema* Schema() {
  static xmlSchema* schema = [] {
    xmlInitParser();
    xmlSchemaParserCtxt* parser =
        xmlSchemaNewMemParserCtxt(kScanMetadataXsd, static_cast<int>(ScanMetadataSchema().size()));
    xmlSchema* parsed = parser ? xmlSchemaParse(parser) : nullptr;
    if (parser) xmlSchemaFreeParserCtxt(parser);
    return parsed;
  }();
  return schema;
}

std::string Text(const xmlNode* node) {
  xmlChar* content = xmlNodeGetContent(node);
  std::string out = content ? reinterpret_cast<const char*>(content) : "";
  xmlFree(content);
  const size_t begin = out.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  return out.substr(begin, out.find_last_not_of(" \t\r\n") - begin + 1);
}

bool Named(const xmlNode* node, const char* name) {
  return node->type == XML_ELEMENT_NODE &&
         std::string(reinterpret_cast<const char*>(node->name)) == name;
}

void ReadUser(const xmlNode* bruker, ScanMetadata* m) {
  for (const xmlNode* n = bruker->children; n; n = n->next) {
    if (Named(n, "brukerId")) m->user_id = Text(n);
    if (Named(n, "brukertype")) m->user_type = Text(n);
  }
}

void ReadJournalEntry(const xmlNode* entry, ScanMetadata* m) {
  for (const xmlNode* n = entry->children; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    const std::string name = reinterpret_cast<const char*>(n->name);
    const std::string value = Text(n);
    if (name == "referansenummer") m->reference = value;
    if (name == "bruker") ReadUser(n, m);
    if (name == "tema") m->area = value == "UKJ" ? "" : value;
    if (name == "brevKode") m->form_code = value;
    if (name == "journalforendeEnhet") m->unit = value == "0000" ? "" : value;
    if (name == "mottakskanal") m->channel = value;
    if (name == "datoMottatt") m->received = value.substr(0, 10);  // a date may carry a zone
    if (name == "batchnavn") m->batch_name = value;
    if (name == "filnavn") m->file_name = value;
    if (name == "endorsernr") m->endorser = value;
    if (name == "antallSider") m->pages = value.empty() ? 0 : std::stoi(value);  // schema: 1-10000
    if (name == "land") m->country = value;
  }
}

}  // namespace

const std::string& ScanMetadataSchema() {
  static const std::string schema = kScanMetadataXsd;
  return schema;
}

Result<ScanMetadata> ParseScanMetadata(const std::string& xml, const std::string& source) {
  if (xml.size() > kMaxScanMetadataBytes)
    return Status::InvalidArgument(source + ": larger than " +
                                   std::to_string(kMaxScanMetadataBytes) + " bytes");
  xmlSchema* schema = Schema();
  if (!schema) return Status::Corruption("the built-in skanningmetadata schema does not parse");
  // No network, no entity substitution, no DTD loading: the XML names nothing outside.
  std::string error;
  xmlResetLastError();
  std::unique_ptr<xmlDoc, DocFree> doc(
      xmlReadMemory(xml.data(), static_cast<int>(xml.size()), source.c_str(), nullptr,
                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
  if (!doc) {
    KeepFirstXmlError(&error, xmlGetLastError());
    return Status::InvalidArgument(source + ": not well-formed XML: " + error);
  }
  if (doc->intSubset || doc->extSubset)
    return Status::InvalidArgument(source + ": a DOCTYPE is not allowed");
  std::unique_ptr<xmlSchemaValidCtxt, ValidFree> validation(xmlSchemaNewValidCtxt(schema));
  if (!validation) return Status::IOError("libxml2: out of memory");
  xmlSchemaSetValidStructuredErrors(validation.get(), KeepFirstXmlError, &error);
  if (xmlSchemaValidateDoc(validation.get(), doc.get()) != 0)
    return Status::InvalidArgument(
        source + ": does not fit skanningmetadata.xsd: " + (error.empty() ? "invalid" : error));
  ScanMetadata m;
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  for (const xmlNode* n = root->children; n; n = n->next) {
    if (Named(n, "journalpost")) ReadJournalEntry(n, &m);
    if (Named(n, "skanningInfo"))
      for (const xmlNode* s = n->children; s; s = s->next) {
        if (Named(s, "fysiskPostboks")) m.post_box = Text(s);
        if (Named(s, "strekkodePostboks")) m.barcode_post_box = Text(s);
      }
  }
  return m;
}

}  // namespace postmottak
