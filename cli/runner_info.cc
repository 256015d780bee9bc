#include "cli/runner_info.h"

#include <pwd.h>
#include <unistd.h>

namespace hainfra::cli {

std::string CiJobUrl(const transport::EnvLookup& env) {
  if (!env) return "";
  for (const char* name : {"HAINFRA_CI_JOB_URL", "CI_JOB_URL"}) {
    if (auto url = env(name); url && !url->empty()) return *url;
  }
  auto server = env("GITHUB_SERVER_URL"), repository = env("GITHUB_REPOSITORY"), run = env("GITHUB_RUN_ID");
  if (server && repository && run && !server->empty() && !repository->empty() && !run->empty()) {
    return *server + "/" + *repository + "/actions/runs/" + *run;
  }
  return "";
}

Runner CurrentRunner(const transport::EnvLookup& env) {
  Runner r;
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) == 0) r.host = host;
  if (const passwd* pw = getpwuid(geteuid()); pw != nullptr) r.user = pw->pw_name;
  r.pid = getpid();
  r.ci_job_url = CiJobUrl(env);
  return r;
}

}  // namespace hainfra::cli
