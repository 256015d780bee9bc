// hainfra's composition root: parses the command line (the only file that includes Boost.Program_options),
// builds the transports and kinds, and runs one command.
#include <termios.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <chrono>
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
#include "cli/bootstrap_token.h"
#include "cli/cluster_session.h"
#include "cli/commands.h"
#include "cli/drift_command.h"
#include "cli/enforce_command.h"
#include "cli/enforce_time.h"
#include "cli/pause_command.h"
#include "cli/report_command.h"
#include "cli/export_command.h"
#include "cli/maintain_command.h"
#include "cli/reboot_command.h"
#include "cli/ha_command.h"
#include "cli/status_command.h"
#include "cli/plan_command.h"
#include "cli/schema_command.h"
#include "cli/signals.h"
#include "cli/spec_source.h"
#include "cli/validate_command.h"
#include "cli/version.h"
#include "engine/render/style.h"
#include "providers/transport/api_client.h"
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
  cli::PauseLocation pause;
  std::string format;  // "" when not given: text, or json with --json
  po::options_description d("plan options");
  AddPlanningOptions(d, files, o.planning);
  d.add_options()
      ("format", po::value(&format), "text (default), json (as --json) or markdown (a merge-request comment)")
      ("max-chars", po::value(&o.markdown_max_chars)->default_value(o.markdown_max_chars),
       "--format markdown: cut the details past this size, with a note")
      ("out", po::value(&o.out), "save the plan to FILE for `hainfra apply FILE`")
      ("state-dir", po::value(&pause.state_dir), "local state folder (where an API-only pause is kept)")
      ("detailed-exitcode", po::bool_switch(&o.detailed_exitcode), "exit 0: no changes, 2: changes, 1: error");
  const char* usage = "usage: hainfra plan [-f PATH] [--format text|json|markdown] [--out PLANFILE] [options]";
  int code = 0;
  if (!Parse(args, d, {}, usage, code)) return code;
  // --json is --format json; both at once must agree.
  if (!format.empty() && o.planning.json && format != "json") {
    std::cerr << "error: --format " << format << ": --json is --format json; give one of them\n" << usage << "\n";
    return cli::kExitError;
  }
  if (format == "json") {
    o.planning.json = true;
  } else if (format == "markdown") {
    o.markdown = true;
  } else if (!format.empty() && format != "text") {
    std::cerr << "error: --format " << format << ": expected text, json or markdown\n" << usage << "\n";
    return cli::kExitError;
  }
  std::optional<Spec> spec = Load(files);
  if (!spec) return cli::kExitError;
  cli::Console console = MakeConsole();
  auto session = Connect(*spec);
  if (!session) return cli::kExitError;
  cli::PrintPauseNotice(*session, pause, static_cast<int64_t>(std::time(nullptr)), std::cerr);
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
       "allow changing a lone node that has no quorum")
      ("ignore-pause", po::bool_switch(&safety.ignore_pause), "apply although enforcement is paused (hainfra pause)")
      ("state-dir", po::value(&safety.pause.state_dir), "local state folder (where an API-only pause is kept)");
  po::positional_options_description positional;
  positional.add("plan-file", 1);
  int code = 0;
  if (!Parse(args, d, positional, "usage: hainfra apply [PLANFILE] [-f PATH] [options]", code)) return code;
  std::optional<Spec> spec = Load(files);
  if (!spec) return cli::kExitError;
  o.stop = cli::InstallStopHandlers();
  safety.now = static_cast<int64_t>(std::time(nullptr));
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
  o.now = static_cast<int64_t>(std::time(nullptr));
  cli::Console console = MakeConsole();
  // Every failure writes hainfra_last_run_success 0 to --metrics, also before a plan exists.
  std::optional<Spec> spec = Load(files);
  if (!spec) return cli::FailDrift(o, {Code::kInvalidArgument, "the spec could not be loaded"}, console);
  auto session = cli::ClusterSession::Open(*spec, transport::ProcessEnvironment(), LogToStderr);
  if (!session) return cli::FailDrift(o, session.error(), console);
  return cli::RunDrift(*spec, (*session)->kinds(), o, console);
}

// --every / --splay / --until values.
bool ParseSeconds(const std::string& flag, const std::string& text, std::chrono::seconds& out) {
  if (text.empty()) return true;
  Result<std::chrono::seconds> d = cli::ParseDuration(text);
  if (!d) {
    std::cerr << "error: " << flag << ": " << d.error().message << "\n";
    return false;
  }
  out = *d;
  return true;
}

int EnforceMain(const Args& args) {
  std::vector<std::string> files;
  cli::EnforceOptions o;
  std::string every, splay, format = "json";
  po::options_description d("enforce options");
  d.add_options()
      ("file,f", po::value(&files)->composing(), "spec file or folder (repeatable; default as plan); re-read before every run")
      ("every", po::value(&every), "keep running, one run every DURATION (30s, 15m, 1h); default: run once")
      ("splay", po::value(&splay), "wait a random time in [0, DURATION) before each run (spreads runners)")
      ("report", po::value(&o.report), "write the JSON run report to FILE (docs/enforce-report.md), every run")
      ("junit", po::value(&o.junit), "write a JUnit XML report to FILE, every run")
      ("metrics", po::value(&o.metrics), "write Prometheus textfile metrics to FILE, every run")
      ("log", po::value(&o.log), "append one JSON line per run to FILE")
      ("state-dir", po::value(&o.location.state_dir)->default_value(cli::kDefaultStateDir),
       "local state: failed runs in a row (backoff), the API-only pause")
      ("webhook", po::value(&o.webhook_url), "POST to URL on drift, correction and failure")
      ("webhook-header", po::value(&o.webhook_headers)->composing(), "an extra 'Name: value' header (repeatable)")
      ("webhook-format", po::value(&format), "json (default) or alertmanager (Alertmanager v2 alerts)")
      ("no-lock", po::bool_switch(&o.no_lock), "enforce without the cluster lock (where no SSH exists)")
      ("per-node", po::value(&o.per_node)->default_value(2), "steps at once on one node")
      ("parallelism", po::value(&o.planning.parallelism)->default_value(8), "objects observed / steps run at once")
      ("help,h", "this help");
  const char* usage = "usage: hainfra enforce [-f PATH] [--every 15m [--splay 2m]] [options]\n"
                      "  (exit 0: corrected, nothing to do, drift only reported, or skipped; 1: the run failed)";
  int code = 0;
  if (!Parse(args, d, {}, usage, code)) return code;
  if (!ParseSeconds("--every", every, o.every) || !ParseSeconds("--splay", splay, o.splay)) return cli::kExitError;
  if (format == "alertmanager") {
    o.webhook_format = cli::WebhookFormat::kAlertmanager;
  } else if (format != "json") {
    std::cerr << "error: --webhook-format: expected json or alertmanager, got '" << format << "'\n";
    return cli::kExitError;
  }
  Result<std::vector<std::string>> paths = cli::SpecPaths(files);
  if (!paths) {
    std::cerr << "error: " << paths.error().message << "\n";
    return cli::kExitError;
  }
  o.spec_paths = std::move(*paths);
  o.env = transport::ProcessEnvironment();
  o.stop = cli::InstallStopHandlers();
  cli::Console console = MakeConsole();
  console.live = false;  // a service's log, not a terminal's status line
  return cli::RunEnforce(o, console);
}

int PauseMain(const Args& args, bool resume) {
  std::vector<std::string> files;
  cli::PauseOptions o;
  po::options_description d(resume ? "resume options" : "pause options");
  d.add_options()("file,f", po::value(&files)->composing(), "spec file or folder (finds the cluster; default as plan)");
  if (!resume) {
    d.add_options()
        ("reason", po::value(&o.reason), "why (required; every runner shows it)")
        ("until", po::value(&o.until), "end the pause at an RFC 3339 time or after a duration (2h); default: until resumed");
  }
  d.add_options()
      ("state-dir", po::value(&o.location.state_dir)->default_value(cli::kDefaultStateDir),
       "where an API-only pause is kept (no SSH: this machine only)")
      ("help,h", "this help");
  const char* usage = resume ? "usage: hainfra resume [-f PATH]   (ends a pause of enforcement)"
                             : "usage: hainfra pause --reason TEXT [--until TIME] [-f PATH]   (pauses enforcement "
                               "cluster-wide)";
  int code = 0;
  if (!Parse(args, d, {}, usage, code)) return code;
  std::optional<Spec> spec = Load(files);
  if (!spec) return cli::kExitError;
  auto session = Connect(*spec);
  if (!session) return cli::kExitError;
  if (resume) return cli::RunResume(*session, o.location, std::cout, std::cerr);
  o.now = static_cast<int64_t>(std::time(nullptr));
  return cli::RunPause(*session, o, std::cout, std::cerr);
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

int StatusMain(const Args& args) {
  std::vector<std::string> files;
  cli::StatusOptions o;
  po::options_description d("status options");
  d.add_options()
      ("file,f", po::value(&files)->composing(), "spec file or folder (finds the cluster; default as plan)")
      ("json", po::bool_switch(&o.json), "machine-readable output (docs/operations.md)")
      ("metrics", po::value(&o.metrics), "also write Prometheus textfile metrics to FILE")
      ("state-dir", po::value(&o.state_dir)->default_value(cli::kDefaultStateDir), "an enforce runner's state folder")
      ("enforce-report", po::value(&o.enforce_report), "the last enforce run's report (hainfra enforce --report)")
      ("help,h", "this help");
  const char* usage = "usage: hainfra status [-f PATH] [--json] [--metrics FILE]   (exit 0: healthy, 2: degraded, 1: failed)";
  int code = 0;
  if (!Parse(args, d, {}, usage, code)) return code;
  std::optional<Spec> spec = Load(files);
  if (!spec) return cli::kExitError;
  cli::Console console = MakeConsole();
  auto session = Connect(*spec);
  if (!session) return cli::kExitError;
  return cli::RunStatus(*session, o, console);
}

int MaintainMain(const Args& args) {
  std::vector<std::string> files;
  cli::MaintainOptions o;
  std::string policy = "migrate";
  int timeout_s = 600;
  po::options_description d("maintain options");
  d.add_options()
      ("node", po::value(&o.node), "the node (also the first argument)")
      ("enter", po::bool_switch(&o.enter), "enter maintenance: HA guests leave, other guests by --policy, Ceph noout")
      ("exit", po::bool_switch(&o.exit), "leave maintenance: HA guests return, Ceph noout cleared")
      ("policy", po::value(&policy), "running guests HA does not manage: migrate (default), shutdown or leave")
      ("timeout", po::value(&timeout_s)->default_value(600), "seconds each wait may take")
      ("no-lock", po::bool_switch(&o.no_lock), "without the cluster lock")
      ("file,f", po::value(&files)->composing(), "spec file or folder (finds the cluster; default as plan)")
      ("help,h", "this help");
  po::positional_options_description positional;
  positional.add("node", 1);
  int code = 0;
  if (!Parse(args, d, positional, "usage: hainfra maintain NODE --enter|--exit [--policy migrate|shutdown|leave]", code)) {
    return code;
  }
  Result<maintenance::GuestPolicy> parsed = maintenance::ParseGuestPolicy(policy);
  if (!parsed) {
    std::cerr << "error: " << parsed.error().message << "\n";
    return cli::kExitError;
  }
  o.maintenance.policy = *parsed;
  o.maintenance.timeout = std::chrono::seconds(timeout_s);
  std::optional<Spec> spec = Load(files);
  if (!spec) return cli::kExitError;
  cli::Console console = MakeConsole();
  auto session = Connect(*spec);
  if (!session) return cli::kExitError;
  return cli::RunMaintain(*session, std::move(o), console);
}

int RebootMain(const Args& args) {
  std::vector<std::string> files;
  cli::RebootOptions o;
  std::string policy = "migrate";
  int timeout_s = 600;
  po::options_description d("reboot options");
  d.add_options()
      ("node", po::value(&o.nodes)->composing(), "a node to reboot, in order (also as arguments); default: those with a reboot pending")
      ("policy", po::value(&policy), "running guests HA does not manage: migrate (default), shutdown or leave")
      ("timeout", po::value(&timeout_s)->default_value(600), "seconds each wait may take (a node coming back, guests leaving)")
      ("no-lock", po::bool_switch(&o.no_lock), "without the cluster lock")
      ("file,f", po::value(&files)->composing(), "spec file or folder (finds the cluster; default as plan)")
      ("help,h", "this help");
  po::positional_options_description positional;
  positional.add("node", -1);
  int code = 0;
  if (!Parse(args, d, positional, "usage: hainfra reboot [NODE...] [--policy migrate|shutdown|leave] [--timeout S]", code)) {
    return code;
  }
  Result<maintenance::GuestPolicy> parsed = maintenance::ParseGuestPolicy(policy);
  if (!parsed) {
    std::cerr << "error: " << parsed.error().message << "\n";
    return cli::kExitError;
  }
  o.roll.maintenance.policy = *parsed;
  o.roll.maintenance.timeout = std::chrono::seconds(timeout_s);
  o.roll.up_timeout = std::chrono::seconds(timeout_s);
  std::optional<Spec> spec = Load(files);
  if (!spec) return cli::kExitError;
  cli::Console console = MakeConsole();
  auto session = Connect(*spec);
  if (!session) return cli::kExitError;
  return cli::RunReboot(*session, std::move(o), console);
}

int HaMain(const Args& args) {
  std::vector<std::string> files;
  cli::HaCommandOptions o;
  int timeout_s = 600;
  po::options_description d("ha options");
  d.add_options()
      ("action", po::value(&o.action), "disarm or arm (the first argument)")
      ("mode", po::value(&o.mode), "disarm: freeze (HA keeps its resources, applies no change) or ignore (HA stops tracking them)")
      ("timeout", po::value(&timeout_s)->default_value(600), "seconds to wait for the HA manager")
      ("no-lock", po::bool_switch(&o.no_lock), "without the cluster lock")
      ("file,f", po::value(&files)->composing(), "spec file or folder (finds the cluster; default as plan)")
      ("help,h", "this help");
  po::positional_options_description positional;
  positional.add("action", 1);
  int code = 0;
  if (!Parse(args, d, positional, "usage: hainfra ha disarm --mode freeze|ignore | hainfra ha arm   (Proxmox VE 9)", code)) {
    return code;
  }
  o.wait.timeout = std::chrono::seconds(timeout_s);
  std::optional<Spec> spec = Load(files);
  if (!spec) return cli::kExitError;
  cli::Console console = MakeConsole();
  auto session = Connect(*spec);
  if (!session) return cli::kExitError;
  return cli::RunHa(*session, std::move(o), console);
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
  // Without a spec naming the nodes, each is reached over SSH where the cluster says it is.
  if (session->deps().ssh != nullptr && input.OfKind("node").empty()) {
    session = Connect(cli::WithMemberAddresses(input, *session->deps().api));
    if (!session) return cli::kExitError;
  }
  o.connection = cli::ConnectionSettings(session->deps().api->settings());
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

// The login password of bootstrap-token: from --password-file, else asked on the terminal without echo.
std::optional<std::string> BootstrapPassword(const std::string& file, const std::string& user) {
  if (!file.empty()) {
    Result<std::string> password = cli::ReadPasswordFile(file);
    if (!password) std::cerr << "error: " << password.error().message << "\n";
    return password ? std::optional<std::string>(*password) : std::nullopt;
  }
  if (::isatty(STDIN_FILENO) != 1) {
    std::cerr << "error: no terminal to ask for " << user << "'s password: pass --password-file FILE\n";
    return std::nullopt;
  }
  std::cerr << "Password for " << user << ": " << std::flush;
  termios old_mode{};
  ::tcgetattr(STDIN_FILENO, &old_mode);
  termios quiet = old_mode;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  std::string password;
  std::getline(std::cin, password);
  ::tcsetattr(STDIN_FILENO, TCSANOW, &old_mode);
  std::cerr << "\n";
  if (password.empty()) return std::nullopt;
  return password;
}

int BootstrapTokenMain(const Args& args) {
  std::vector<std::string> files;
  cli::BootstrapTokenOptions o;
  std::string password_file;
  po::options_description d("bootstrap-token options");
  d.add_options()
      ("file,f", po::value(&files)->composing(), "spec whose kinds decide the privileges (default as plan)")
      ("user", po::value(&o.login_user)->default_value(o.login_user), "who logs in to create the token")
      ("password-file", po::value(&password_file), "that user's password, first line of FILE (default: asked)")
      ("token", po::value(&o.token), "the token to create, USER@REALM!ID (default: the spec's cluster.api.token)")
      ("role", po::value(&o.role)->default_value(o.role), "the role to create for it")
      ("secret-file", po::value(&o.secret_file)->default_value(o.secret_file), "where to write the new secret (mode 0600)")
      ("regenerate", po::bool_switch(&o.regenerate), "the token exists: give it a new secret")
      ("dry-run", po::bool_switch(&o.dry_run), "only show what would be created")
      ("help,h", "this help");
  int code = 0;
  if (!Parse(args, d, {}, "usage: hainfra bootstrap-token [--user root@pam] [--password-file FILE] [--dry-run] [-f PATH]",
             code)) {
    return code;
  }
  std::optional<Spec> spec = Load(files);
  if (!spec) return cli::kExitError;
  std::optional<std::string> password = BootstrapPassword(password_file, o.login_user);
  if (!password) return cli::kExitError;
  Result<transport::ApiSettings> settings =
      cli::BootstrapLoginSettings(*spec, transport::ProcessEnvironment(), o.login_user, *password);
  if (!settings) {
    std::cerr << "error: " << settings.error().message << "\n";
    return cli::kExitError;
  }
  Result<std::unique_ptr<transport::ApiClient>> api =
      transport::ApiClient::Create(std::move(*settings), transport::ApiHooks{LogToStderr, {}, {}, {}});
  if (!api) {
    std::cerr << "error: " << api.error().message << "\n";
    return cli::kExitError;
  }
  cli::Console console = MakeConsole();
  return cli::RunBootstrapToken(*spec, **api, o, console);
}

int VersionMain(const Args&) {
  std::printf("hainfra %.*s\n", static_cast<int>(cli::Version().size()), cli::Version().data());
  return 0;
}

// What runs each subcommand of cli/commands.h (the list of names and summaries, shared with the tests).
struct Runner {
  std::string_view name;
  int (*run)(const Args&);
};

// The subcommands cli::Commands() names, each with the function that runs it.
constexpr Runner kRunners[] = {
    {"validate", ValidateMain}, {"schema", SchemaMain}, {"plan", PlanMain},     {"apply", ApplyMain},
    {"unlock", UnlockMain},     {"drift", DriftMain},   {"enforce", EnforceMain},
    {"pause", [](const Args& a) { return PauseMain(a, false); }},
    {"resume", [](const Args& a) { return PauseMain(a, true); }},
    {"report", ReportMain},     {"export", ExportMain}, {"version", VersionMain},
    {"status", StatusMain},     {"maintain", MaintainMain}, {"reboot", RebootMain},
    {"bootstrap-token", BootstrapTokenMain},
    {"ha", HaMain},
};

const Runner* FindRunner(std::string_view name) {
  for (const Runner& r : kRunners) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

int Usage(FILE* out = stderr, int exit_code = cli::kExitError) {
  std::fprintf(out, "usage: hainfra COMMAND [options]   (hainfra COMMAND --help for its options)\n\ncommands:\n");
  for (const cli::CommandInfo& c : cli::Commands()) {
    if (FindRunner(c.name) == nullptr) continue;  // named in the shared list, built in a later version
    // Two spaces at least after the name: the man page (contrib/man/) and the completions read this list.
    std::fprintf(out, "  %-16.*s %.*s\n", static_cast<int>(c.name.size()), c.name.data(),
                 static_cast<int>(c.summary.size()), c.summary.data());
  }
  return exit_code;
}

// The runner of a command the list knows; prints why not and answers nullptr otherwise.
const Runner* Dispatch(const std::string& name) {
  if (cli::FindCommand(name) == nullptr) {
    std::fprintf(stderr, "error: unknown command `%s`\n", name.c_str());
    Usage();
    return nullptr;
  }
  const Runner* runner = FindRunner(name);
  if (runner == nullptr) std::fprintf(stderr, "error: `%s` is not part of this build of hainfra\n", name.c_str());
  return runner;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return Usage();
  std::string name = argv[1];
  if (name == "--version") name = "version";
  if (name == "--help" || name == "-h" || name == "help") {
    if (argc > 2) {  // `hainfra help plan` is `hainfra plan --help`
      const Runner* runner = Dispatch(argv[2]);
      return runner == nullptr ? cli::kExitError : runner->run(Args{{"--help"}});
    }
    return Usage(stdout, cli::kExitOk);
  }
  const Runner* runner = Dispatch(name);
  if (runner == nullptr) return cli::kExitError;
  return runner->run(Args{std::vector<std::string>(argv + 2, argv + argc)});
}
