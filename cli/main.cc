// hainfra's composition root: parses the command line (the only file that includes Boost.Program_options),
// builds the transports and kinds, and runs one command.
#include <unistd.h>

#include <boost/program_options.hpp>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/apply_command.h"
#include "cli/apply_safety.h"
#include "cli/cluster_session.h"
#include "cli/drift_command.h"
#include "cli/report_command.h"
#include "cli/export_command.h"
#include "cli/plan_command.h"
#include "cli/schema_command.h"
#include "cli/signals.h"
#include "cli/spec_source.h"
#include "cli/validate_command.h"
#include "cli/version.h"
#include "engine/render/style.h"
#include "providers/transport/environment.h"
#include "providers/transport/transport_log.h"

namespace po = boost::program_options;
using namespace hainfra;

namespace {

// What a subcommand gets: its arguments (after the subcommand's name).
struct Args {
  std::vector<std::string> rest;
};

// Warnings of the transports (an insecure TLS setting, a host key learnt on first use) and the progress of
// long tasks (downloads of images) go to stderr.
void LogToStderr(transport::LogLevel level, std::string_view line) {
  if (level == transport::LogLevel::kProgress) std::cerr << "  " << line << "\n";
  if (level != transport::LogLevel::kWarning) return;
  std::cerr << "warning: " << line << "\n";
}

// Connects to the cluster the spec names (or HAINFRA_* overrides) and builds the kinds; prints why not.
std::unique_ptr<cli::ClusterSession> Connect(const Spec& spec) {
  auto session = cli::ClusterSession::Open(spec, transport::ProcessEnvironment(), LogToStderr);
  if (!session) {
    std::cerr << "error: " << session.error().message << "\n";
    return nullptr;
  }
  return std::move(*session);
}

cli::Console MakeConsole() {
  const bool out_tty = ::isatty(STDOUT_FILENO) == 1;
  return cli::Console{std::cin, std::cout, std::cerr, ::isatty(STDIN_FILENO) == 1,
                      render::UseColor(out_tty, std::getenv("NO_COLOR")), out_tty};
}

// Options of every command that reads a spec and plans.
void AddPlanningOptions(po::options_description& d, std::vector<std::string>& files, cli::PlanningOptions& p) {
  d.add_options()
      ("file,f", po::value(&files)->composing(), "spec file or folder (repeatable; default ./hainfra.yaml, else ./hainfra/)")
      ("target", po::value(&p.targets)->composing(), "only this object (KIND/NAME) and what it depends on (repeatable)")
      ("prune", po::value(&p.prune)->composing(), "delete owned objects of KIND that the spec omits (repeatable)")
      ("json", po::bool_switch(&p.json), "machine-readable output (docs/plan-format.md)")
      ("parallelism", po::value(&p.parallelism)->default_value(8), "objects observed / steps run at once")
      ("help,h", "this help");
}

// Parses `args` against `d` (plus positional names); false (and help or an error printed) to stop.
bool Parse(const Args& args, const po::options_description& d, const po::positional_options_description& positional,
           const char* usage, int& exit_code) {
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args.rest).options(d).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {  // Boost reports bad command lines by throwing
    std::cerr << "error: " << e.what() << "\n" << usage << "\n" << d;
    exit_code = cli::kExitError;
    return false;
  }
  if (vm.count("help")) {
    std::cout << usage << "\n" << d;
    exit_code = cli::kExitOk;
    return false;
  }
  return true;
}

// Resolves -f and loads the spec; prints why not.
std::optional<Spec> Load(const std::vector<std::string>& files) {
  Result<std::vector<std::string>> paths = cli::SpecPaths(files);
  if (!paths) {
    std::cerr << "error: " << paths.error().message << "\n";
    return std::nullopt;
  }
  Result<Spec> spec = cli::LoadSpecReporting(*paths, std::cerr);
  if (!spec) {
    std::cerr << "error: " << spec.error().message << "\n";
    return std::nullopt;
  }
  return std::move(*spec);
}

int PlanMain(const Args& args) {
  std::vector<std::string> files;
  cli::PlanCommandOptions o;
  po::options_description d("plan options");
  AddPlanningOptions(d, files, o.planning);
  d.add_options()
      ("out", po::value(&o.out), "save the plan to FILE for `hainfra apply FILE`")
      ("detailed-exitcode", po::bool_switch(&o.detailed_exitcode), "exit 0: no changes, 2: changes, 1: error");
  int code = 0;
  if (!Parse(args, d, {}, "usage: hainfra plan [-f PATH] [options]", code)) return code;
  std::optional<Spec> spec = Load(files);
  if (!spec) return cli::kExitError;
  cli::Console console = MakeConsole();
  auto session = Connect(*spec);
  if (!session) return cli::kExitError;
  return cli::RunPlan(*spec, session->kinds(), o, console);
}

int ApplyMain(const Args& args) {
  std::vector<std::string> files;
  cli::ApplyCommandOptions o;
  cli::SafetyFlags safety;
  po::options_description d("apply options");
  AddPlanningOptions(d, files, o.planning);
  d.add_options()
      ("plan-file", po::value(&o.plan_file), "a plan saved with `plan --out` (also the first argument)")
      ("auto-approve", po::bool_switch(&o.auto_approve), "do not ask for confirmation")
      ("allow-destroy", po::bool_switch(&o.allow_destroy), "allow destructive steps (delete, replace)")
      ("per-node", po::value(&o.per_node)->default_value(2), "steps at once on one node")
      ("no-lock", po::bool_switch(&safety.no_lock), "apply without the cluster lock (where no SSH exists)")
      ("bootstrap-single-node", po::bool_switch(&safety.bootstrap_single_node),
       "allow changing a lone node that has no quorum");
  po::positional_options_description positional;
  positional.add("plan-file", 1);
  int code = 0;
  if (!Parse(args, d, positional, "usage: hainfra apply [PLANFILE] [-f PATH] [options]", code)) return code;
  std::optional<Spec> spec = Load(files);
  if (!spec) return cli::kExitError;
  o.stop = cli::InstallStopHandlers();
  cli::Console console = MakeConsole();
  auto session = Connect(*spec);
  if (!session) return cli::kExitError;
  return cli::RunSafeApply(*spec, *session, o, safety, console);
}

int UnlockMain(const Args& args) {
  std::vector<std::string> files;
  bool force = false;
  po::options_description d("unlock options");
  d.add_options()
      ("file,f", po::value(&files)->composing(), "spec file or folder (as for plan)")
      ("force", po::bool_switch(&force), "remove the lock whoever holds it")
      ("help,h", "this help");
  int code = 0;
  if (!Parse(args, d, {}, "usage: hainfra unlock [--force] [-f PATH]   (shows, or removes, the cluster lock)", code)) {
    return code;
  }
  std::optional<Spec> spec = Load(files);
  if (!spec) return cli::kExitError;
  auto session = Connect(*spec);
  if (!session) return cli::kExitError;
  return cli::RunUnlock(*session, force, std::cout, std::cerr);
}

int DriftMain(const Args& args) {
  std::vector<std::string> files;
  cli::DriftCommandOptions o;
  po::options_description d("drift options");
  AddPlanningOptions(d, files, o.planning);
  d.add_options()
      ("junit", po::value(&o.junit), "write a JUnit XML report (one testcase per object) to FILE")
      ("metrics", po::value(&o.metrics), "write Prometheus textfile metrics to FILE");
  int code = 0;
  if (!Parse(args, d, {}, "usage: hainfra drift [-f PATH] [options]   (exit 0: no drift, 2: drift, 1: error)", code)) {
    return code;
  }
  std::optional<Spec> spec = Load(files);
  if (!spec) return cli::kExitError;
  o.now = static_cast<int64_t>(std::time(nullptr));
  cli::Console console = MakeConsole();
  auto session = Connect(*spec);
  if (!session) return cli::kExitError;
  return cli::RunDrift(*spec, session->kinds(), o, console);
}

int ReportMain(const Args& args) {
  std::vector<std::string> files;
  std::string what;
  cli::ReportOptions o;
  po::options_description d("report options");
  d.add_options()
      ("what", po::value(&what), "the report: packages")
      ("file,f", po::value(&files)->composing(), "spec file or folder (repeatable; default as plan)")
      ("json", po::bool_switch(&o.json), "machine-readable output (docs/kinds/baseline.md)")
      ("help,h", "this help");
  po::positional_options_description positional;
  positional.add("what", 1);
  const char* usage = "usage: hainfra report packages [-f PATH] [--json]   (exit 0: in unison, 2: differences, 1: error)";
  int code = 0;
  if (!Parse(args, d, positional, usage, code)) return code;
  if (what != "packages") {
    std::cerr << "error: unknown report '" << what << "'\n" << usage << "\n";
    return cli::kExitError;
  }
  std::optional<Spec> spec = Load(files);
  if (!spec) return cli::kExitError;
  cli::Console console = MakeConsole();
  auto session = Connect(*spec);
  if (!session) return cli::kExitError;
  return cli::RunReportPackages(*spec, session->deps().ssh, o, console);
}

int ExportMain(const Args& args) {
  std::vector<std::string> files;
  cli::ExportCommandOptions o;
  po::options_description d("export options");
  d.add_options()
      ("file,f", po::value(&files)->composing(), "spec whose cluster settings to use and carry over (default as plan, if there)")
      ("kind", po::value(&o.kinds)->composing(), "only objects of KIND, and of the kinds they name (repeatable)")
      ("node", po::value(&o.nodes)->composing(), "only objects on NODE; objects not tied to a node are kept (repeatable)")
      ("out,o", po::value(&o.out), "write to FILE (default: stdout)")
      ("split", po::value(&o.split), "write one file per section into DIR")
      ("help,h", "this help");
  int code = 0;
  if (!Parse(args, d, {}, "usage: hainfra export [-f PATH] [--kind KIND] [--node NODE] [-o FILE | --split DIR]", code)) {
    return code;
  }
  Spec input;  // without a spec, HAINFRA_API_* tell where the cluster is
  if (!files.empty() || cli::SpecPaths({})) {
    std::optional<Spec> spec = Load(files);
    if (!spec) return cli::kExitError;
    input = std::move(*spec);
  }
  cli::Console console = MakeConsole();
  auto session = Connect(input);
  if (!session) return cli::kExitError;
  return cli::RunExport(input, session->kinds(), o, console);
}

int ValidateMain(const Args& args) {
  std::vector<std::string> files;
  cli::ValidateOptions o;
  po::options_description d("validate options");
  d.add_options()
      ("file,f", po::value(&files)->composing(), "spec file or folder (repeatable, or as arguments; default as plan)")
      ("resolve-secrets", po::bool_switch(&o.resolve_secrets), "also resolve every ${env:...} / ${file:...}")
      ("quiet,q", po::bool_switch(&o.quiet), "print nothing when the spec is valid")
      ("help,h", "this help");
  po::positional_options_description positional;
  positional.add("file", -1);
  int code = 0;
  if (!Parse(args, d, positional, "usage: hainfra validate [PATH...] [options]   (exit 0: valid, 1: invalid)", code)) {
    return code;
  }
  Result<std::vector<std::string>> paths = cli::SpecPaths(files);
  if (!paths) {
    std::cerr << "error: " << paths.error().message << "\n";
    return cli::kExitError;
  }
  o.paths = std::move(*paths);
  return cli::RunValidate(o, std::cout);
}

int SchemaMain(const Args& args) {
  cli::SchemaOptions o;
  po::options_description d("schema options");
  d.add_options()
      ("markdown", po::bool_switch(&o.markdown), "print the field reference tables (docs/spec.md) instead")
      ("help,h", "this help");
  int code = 0;
  if (!Parse(args, d, {}, "usage: hainfra schema [--markdown]   (the JSON Schema of the spec, as in schemas/)", code)) {
    return code;
  }
  return cli::RunSchema(o, std::cout);
}

int VersionMain(const Args&) {
  std::printf("hainfra %.*s\n", static_cast<int>(cli::Version().size()), cli::Version().data());
  return 0;
}

struct Command {
  const char* name;
  const char* summary;
  int (*run)(const Args&);
};

// The subcommands, one line each.
constexpr Command kCommands[] = {
    {"validate", "check the spec and report every problem with its location", ValidateMain},
    {"schema", "print the JSON Schema of the spec", SchemaMain},
    {"plan", "show what apply would change", PlanMain},
    {"apply", "change the cluster to match the spec", ApplyMain},
    {"unlock", "show or (--force) remove the cluster lock of a dead apply", UnlockMain},
    {"drift", "report whether the cluster still matches the spec (exit 0/2/1)", DriftMain},
    {"report", "report packages: which nodes differ on which package version", ReportMain},
    {"export", "write the live cluster as a spec that plans to no changes", ExportMain},
    {"version", "print the version", VersionMain},
};

int Usage(FILE* out = stderr, int exit_code = cli::kExitError) {
  std::fprintf(out, "usage: hainfra COMMAND [options]   (hainfra COMMAND --help for its options)\n\ncommands:\n");
  for (const Command& c : kCommands) std::fprintf(out, "  %-10s %s\n", c.name, c.summary);
  return exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return Usage();
  std::string name = argv[1];
  if (name == "--version") name = "version";
  if (name == "--help" || name == "-h" || name == "help") {
    if (argc > 2) {  // `hainfra help plan` is `hainfra plan --help`
      for (const Command& c : kCommands) {
        if (argv[2] == std::string(c.name)) return c.run(Args{{"--help"}});
      }
    }
    return Usage(stdout, cli::kExitOk);
  }
  for (const Command& c : kCommands) {
    if (name == c.name) return c.run(Args{std::vector<std::string>(argv + 2, argv + argc)});
  }
  std::fprintf(stderr, "error: unknown command `%s`\n", name.c_str());
  return Usage();
}
