#include "cli/spec_source.h"

#include <filesystem>

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
  (void)err;
  // The spec loader (engine/spec/loader.h, hainfra::spec::LoadSpec) is built in its own issue; until it
  // lands, commands that need a spec stop here with a clear message.
  std::string list;
  for (const std::string& p : paths) list += (list.empty() ? "" : ", ") + p;
  return Fail(Code::kFailedPrecondition, "cannot load " + list + ": this build has no spec loader yet");
}

}  // namespace hainfra::cli
