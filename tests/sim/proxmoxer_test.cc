// An independent, real Proxmox client (Debian's python3-proxmoxer) against pvesim.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "tests/testing/pvesim_process.h"

namespace hainfra::testing {
namespace {

struct Pipe {
  void operator()(FILE* f) const { if (f) pclose(f); }
};

TEST(PvesimProxmoxer, RealClientLogsInCreatesAndChangesAVm) {
  if (std::system("/usr/bin/python3 -c 'import proxmoxer' >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "python3-proxmoxer is not installed (apt-get install python3-proxmoxer)";
  PVESIM_START_OR_SKIP(pvesim);
  std::string script = std::string(HAINFRA_SOURCE_DIR) + "/tests/sim/proxmoxer_client.py";
  std::string cmd = "env -u CURL_CA_BUNDLE REQUESTS_CA_BUNDLE='" + pvesim->ca_file() +
                    "' HAINFRA_API_ENDPOINT='" + pvesim->endpoint() + "' HAINFRA_API_PASSWORD='" + pvesim->password() +
                    "' HAINFRA_API_TOKEN='" + pvesim->token_id() + "' HAINFRA_API_SECRET='" + pvesim->secret() +
                    "' /usr/bin/python3 '" + script + "' 2>&1";
  FILE* raw = popen(cmd.c_str(), "r");
  ASSERT_NE(raw, nullptr);
  std::string output;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), raw)) > 0) output.append(buf.data(), n);
  int status = pclose(raw);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << output << pvesim->Stderr();
  for (const char* step : {"ok: password login", "ok: created VM", "ok: config changed", "ok: stale digest refused",
                           "ok: started VM", "ok: token login",
                           "ok: listed a cluster with a VM and a container"}) {
    EXPECT_NE(output.find(step), std::string::npos) << step << "\n" << output;
  }
}

}  // namespace
}  // namespace hainfra::testing
