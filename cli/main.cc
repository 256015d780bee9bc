// hainfra's composition root: parses the command line (the only file that includes Boost.Program_options),
// builds the transports and kinds, and runs one command.
#include <boost/program_options.hpp>

#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "cli/schema_command.h"
#include "cli/validate_command.h"
#include "cli/version.h"

namespace po = boost::program_options;

namespace {

using Args = std::vector<std::string>;

// Parses a command's arguments; false (after printing why) when they are wrong or --help was asked.
bool Parse(const Args& args, const po::options_description& visible, const po::options_description& all,
           const po::positional_options_description& positional, const std::string& usage, po::variables_map& vm,
           int& exit_code) {
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "hainfra: " << e.what() << "\n" << usage << "\n" << visible;
    exit_code = 1;
    return false;
  }
  if (vm.count("help") != 0) {
    std::cout << usage << "\n" << visible;
    exit_code = 0;
    return false;
  }
  return true;
}

int Validate(const Args& args) {
  const std::string usage =
      "usage: hainfra validate [options] PATH...\n"
      "Checks spec files and directories (*.yaml, *.yml, merged); exit 0 when valid, 1 when not.\n";
  po::options_description visible("options");
  visible.add_options()("help,h", "show this help")(
      "resolve-secrets", "also resolve every ${env:...} and ${file:...} reference")(
      "quiet,q", "print nothing when the spec is valid");
  po::options_description all;
  all.add(visible).add_options()("path", po::value<Args>(), "spec files and directories");
  po::positional_options_description positional;
  positional.add("path", -1);
  po::variables_map vm;
  int exit_code = 0;
  if (!Parse(args, visible, all, positional, usage, vm, exit_code)) return exit_code;
  hainfra::cli::ValidateOptions options;
  if (vm.count("path") == 0) {
    std::cerr << "hainfra validate: no PATH given\n" << usage;
    return 1;
  }
  options.paths = vm["path"].as<Args>();
  options.resolve_secrets = vm.count("resolve-secrets") != 0;
  options.quiet = vm.count("quiet") != 0;
  return hainfra::cli::RunValidate(options, std::cout);
}

int Schema(const Args& args) {
  const std::string usage =
      "usage: hainfra schema [--markdown]\n"
      "Prints the JSON Schema of the spec (the one in schemas/hainfra.schema.json).\n";
  po::options_description visible("options");
  visible.add_options()("help,h", "show this help")("markdown", "print the field reference tables instead");
  po::variables_map vm;
  int exit_code = 0;
  if (!Parse(args, visible, visible, {}, usage, vm, exit_code)) return exit_code;
  hainfra::cli::SchemaOptions options;
  options.markdown = vm.count("markdown") != 0;
  return hainfra::cli::RunSchema(options, std::cout);
}

struct Command {
  const char* name;
  const char* summary;
  int (*run)(const Args& args);
};

// The subcommands, one line each; each parses its own options.
const Command kCommands[] = {
    {"validate", "check spec files and report every problem with its location", Validate},
    {"schema", "print the JSON Schema of the spec", Schema},
};

void PrintUsage(std::ostream& out) {
  out << "usage: hainfra [--version] [--help] COMMAND [ARGS...]\n\ncommands:\n";
  for (const Command& c : kCommands) out << "  " << c.name << std::string(12 - std::string(c.name).size(), ' ')
                                         << c.summary << "\n";
  out << "\nRun `hainfra COMMAND --help` for a command's options.\n";
}

int Run(const Args& args) {
  if (args.empty()) {
    PrintUsage(std::cerr);
    return 1;
  }
  const std::string& first = args.front();
  if (first == "--version" || first == "version") {
    std::cout << "hainfra " << hainfra::cli::Version() << "\n";
    return 0;
  }
  if (first == "--help" || first == "-h" || first == "help") {
    if (args.size() > 1) return Run({args[1], "--help"});
    PrintUsage(std::cout);
    return 0;
  }
  for (const Command& c : kCommands) {
    if (first == c.name) return c.run(Args(args.begin() + 1, args.end()));
  }
  std::cerr << "hainfra: unknown command `" << first << "`\n";
  PrintUsage(std::cerr);
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Run(Args(argv + 1, argv + argc));
  } catch (const std::exception& e) {
    std::cerr << "hainfra: internal error: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "hainfra: internal error\n";
  }
  return 1;
}
