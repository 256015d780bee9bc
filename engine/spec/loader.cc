#include "engine/spec/loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "engine/spec/checks.h"
#include "engine/spec/document_reader.h"
#include "engine/spec/ha_shorthand.h"
#include "engine/spec/spec_hash.h"
#include "engine/spec/yaml_reader.h"
#include "schemas/sections.h"

namespace hainfra::spec {
namespace {

namespace fs = std::filesystem;

struct SourceFile {
  std::string name;
  std::string text;
};

Diagnostic FileError(const std::string& file, std::string message) {
  Diagnostic d;
  d.where = Location{file, 0, 0};
  d.message = std::move(message);
  return d;
}

bool IsYamlFile(const fs::path& p) { return p.extension() == ".yaml" || p.extension() == ".yml"; }

bool IsHidden(const fs::path& p) {
  const std::string name = p.filename().string();
  return !name.empty() && name[0] == '.';
}

// Every *.yaml / *.yml below `dir`, sorted by path; hidden files and folders are skipped.
std::vector<std::string> YamlFilesIn(const fs::path& dir, Diagnostics& out) {
  std::vector<std::string> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  if (ec) {
    out.push_back(FileError(dir.string(), "cannot read the directory: " + ec.message()));
    return files;
  }
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) {
      out.push_back(FileError(dir.string(), "cannot read the directory: " + ec.message()));
      break;
    }
    if (IsHidden(it->path())) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(ec) && IsYamlFile(it->path())) files.push_back(it->path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<SourceFile> ReadSources(const std::vector<std::string>& paths, Diagnostics& out) {
  std::vector<std::string> names;
  for (const std::string& path : paths) {
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      out.push_back(FileError(path, "no such file or directory"));
    } else if (fs::is_directory(status)) {
      std::vector<std::string> found = YamlFilesIn(path, out);
      if (found.empty()) out.push_back(FileError(path, "the directory holds no *.yaml or *.yml file"));
      names.insert(names.end(), found.begin(), found.end());
    } else {
      names.push_back(path);
    }
  }
  std::vector<SourceFile> sources;
  std::set<std::string> seen;
  for (const std::string& name : names) {
    std::error_code ec;
    const std::string canonical = fs::weakly_canonical(name, ec).string();
    if (!seen.insert(ec ? name : canonical).second) continue;  // the same file named twice
    std::ifstream in(name, std::ios::binary);
    if (!in) {
      out.push_back(FileError(name, "cannot open the file"));
      continue;
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) {
      out.push_back(FileError(name, "cannot read the file"));
      continue;
    }
    sources.push_back(SourceFile{name, text.str()});
  }
  return sources;
}

// Keeps the first of two objects with one address and reports the second.
void DropDuplicates(std::vector<Resource>& objects, Diagnostics& out) {
  std::map<Address, const Resource*> first;
  std::map<std::string, const Resource*> singletons;  // `cluster`, `enforcement`: one per spec
  std::vector<Resource> kept;
  kept.reserve(objects.size());
  std::vector<bool> keep(objects.size(), true);
  for (size_t i = 0; i < objects.size(); ++i) {
    const Resource& r = objects[i];
    Diagnostic d;
    d.where = r.where;
    d.field = r.address.ToString();
    const schemas::SectionSpec* section = schemas::FindSection(r.address.kind);
    if (section == nullptr) section = schemas::FindSettingsSection(r.address.kind);
    if (section != nullptr && section->singleton) {
      auto [seen, fresh] = singletons.emplace(r.address.kind, &r);
      if (!fresh) {
        d.message = section->path + " is declared twice (first at " + seen->second->where.ToString() + ")";
        out.push_back(std::move(d));
        keep[i] = false;
        continue;
      }
    }
    auto [it, inserted] = first.emplace(r.address, &r);
    if (!inserted) {
      d.message = "duplicate " + r.address.ToString() + " (first declared at " + it->second->where.ToString() + ")";
      out.push_back(std::move(d));
      keep[i] = false;
    }
  }
  for (size_t i = 0; i < objects.size(); ++i) {
    if (keep[i]) kept.push_back(std::move(objects[i]));
  }
  objects = std::move(kept);
}

void SortByFileOrder(Diagnostics& diagnostics, const std::vector<std::string>& files) {
  std::map<std::string, size_t> order;
  for (size_t i = 0; i < files.size(); ++i) order.emplace(files[i], i + 1);
  auto rank = [&](const Diagnostic& d) {
    auto it = order.find(d.where.file);
    return std::make_tuple(it == order.end() ? size_t{0} : it->second, d.where.line, d.where.column);
  };
  std::stable_sort(diagnostics.begin(), diagnostics.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) { return rank(a) < rank(b); });
}

LoadResult Load(std::vector<SourceFile> sources, Diagnostics diagnostics) {
  LoadResult result;
  result.diagnostics = std::move(diagnostics);
  Spec& spec = result.spec;
  for (const SourceFile& source : sources) {
    spec.files.push_back(source.name);
    YamlDocument doc = ReadYaml(source.text, source.name);
    const bool had_errors = HasErrors(doc.diagnostics);
    result.diagnostics.insert(result.diagnostics.end(), doc.diagnostics.begin(), doc.diagnostics.end());
    if (doc.root && doc.root->kind != YamlNode::Kind::kNull) {
      ReadDocument(*doc.root, source.name, spec.objects, result.diagnostics);
    } else if (!had_errors) {
      Diagnostic d = FileError(source.name, "the file declares nothing");
      d.severity = Severity::kWarning;
      result.diagnostics.push_back(std::move(d));
    }
  }
  DropDuplicates(spec.objects, result.diagnostics);
  ExpandHaShorthand(spec.objects, result.diagnostics);
  spec.Reindex();
  CheckSpec(spec, result.diagnostics);
  const bool only_settings = std::all_of(spec.objects.begin(), spec.objects.end(), [](const Resource& r) {
    return schemas::FindSettingsSection(r.address.kind) != nullptr;
  });
  if (only_settings && !HasErrors(result.diagnostics)) {
    result.diagnostics.push_back(
        FileError(spec.files.empty() ? "spec" : spec.files.front(), "the spec declares no objects"));
  }
  SortByFileOrder(result.diagnostics, spec.files);
  spec.hash = SpecHash(spec);
  return result;
}

}  // namespace

LoadResult LoadSpec(const std::vector<std::string>& paths) {
  Diagnostics diagnostics;
  if (paths.empty()) diagnostics.push_back(FileError("spec", "no spec file or directory given"));
  std::vector<SourceFile> sources = ReadSources(paths, diagnostics);
  return Load(std::move(sources), std::move(diagnostics));
}

LoadResult LoadSpecText(std::string_view text, std::string file_name) {
  std::vector<SourceFile> sources;
  sources.push_back(SourceFile{std::move(file_name), std::string(text)});
  return Load(std::move(sources), {});
}

}  // namespace hainfra::spec
