#include "cli/spec_source.h"

#include <filesystem>

#include "engine/spec/loader.h"

namespace hainfra::cli {

Result<std::vector<std::string>> SpecPaths(const std::vector<std::string>& given, const std::string& cwd) {
  if (!given.empty()) return given;
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path file = fs::path(cwd) / "hainfra.yaml";
  if (fs::is_regular_file(file, ec)) return std::vector<std::string>{file.lexically_normal().string()};
  const fs::path folder = fs::path(cwd) / "hainfra";
  if (fs::is_directory(folder, ec)) return std::vector<std::string>{folder.lexically_normal().string() + "/"};
  return Fail(Code::kNotFound, "no spec: neither ./hainfra.yaml nor ./hainfra/ exists here; name one with -f PATH");
}

Result<Spec> LoadSpecReporting(const std::vector<std::string>& paths, std::ostream& err) {
  spec::LoadResult result = spec::LoadSpec(paths);
  size_t errors = 0;
  for (const Diagnostic& d : result.diagnostics) {
    err << d.ToString() << "\n";
    if (d.severity == Severity::kError) ++errors;
  }
  if (errors > 0) {
    return Fail(Code::kInvalidArgument, "the spec has " + std::to_string(errors) + (errors == 1 ? " error" : " errors") +
                                            " (listed above)");
  }
  return std::move(result.spec);
}

}  // namespace hainfra::cli
