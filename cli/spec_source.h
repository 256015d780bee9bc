// Where the spec comes from: `-f PATH` (a file or a folder, repeatable), else ./hainfra.yaml, else
// ./hainfra/; and loading it with every diagnostic printed.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "hainfra/result.h"
#include "hainfra/spec.h"

namespace hainfra::cli {

// The paths to load: `given` when not empty; else ./hainfra.yaml if it exists, else ./hainfra/ if it is
// a folder; else an error saying so. `cwd` is the folder the defaults are looked up in.
Result<std::vector<std::string>> SpecPaths(const std::vector<std::string>& given, const std::string& cwd = ".");

// Loads the spec from `paths`, printing every diagnostic to `err`; fails when any is an error.
Result<Spec> LoadSpecReporting(const std::vector<std::string>& paths, std::ostream& err);

}  // namespace hainfra::cli
