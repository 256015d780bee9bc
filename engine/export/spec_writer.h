// Writing an exported spec as YAML (yaml-cpp's emitter): sections and keys in the schema's order, objects
// sorted by identity, so two exports of the same cluster are byte-identical and diff well.
#pragma once

#include <string>
#include <vector>

#include "engine/export/exporter.h"

namespace hainfra::exporting {

struct SpecFile {
  std::string name;  // "hainfra.yaml", or per section "vms.yaml", "ha-rules.yaml"
  std::string text;
};

// One file holding every section, or (split) the examples' files (SectionFileName); each opens with a short
// header and lists the environment variables its secret placeholders need.
std::vector<SpecFile> WriteSpec(const ExportedSpec& spec, bool split);

// The file a section is written to with split, as in the examples: its top-level key plus `.yaml`
// (`ha.rules` -> ha.yaml), Ceph pools in storage.yaml, backup jobs in backup.yaml, baselines in baseline.yaml.
std::string SectionFileName(const schemas::SectionSpec& section);

}  // namespace hainfra::exporting
