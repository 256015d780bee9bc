// pvesim as a process (schema validation on): ACME accounts and plugins under /cluster/acme as pve-manager's
// API2::ACMEAccount and API2::ACMEPlugin keep them in priv/acme/, the node config's acme keys, and a node's
// certificates (custom upload, ACME order, renew, revoke) as API2::Certificates and API2::ACME serve them.
// One pvesim for the whole story.
#include <gtest/gtest.h>

#include "sim/pvesim/tls_cert.h"
#include "tests/testing/pvesim_client.h"
#include "tests/testing/pvesim_process.h"

namespace hainfra::testing {
namespace {

using json = nlohmann::json;

constexpr const char* kCertsLe = "https://acme-staging-v02.api.letsencrypt.org/directory";

json CertsProxyCert(PvesimClient& c, const std::string& node) {
  for (const auto& info : c.Get("/nodes/" + node + "/certificates/info").data())
    if (info.value("filename", "") == "pveproxy-ssl.pem") return info;
  return nullptr;
}

TEST(PvesimCertificates, AccountsPluginsNodeConfigAndTheNodeCertificateAsProxmoxKeepsThem) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient c(*pvesim);
  PvesimClient root(*pvesim, PvesimClient::Auth::kNone);  // accounts are root@pam's, with a ticket
  ASSERT_TRUE(root.Login());

  // The directories and their terms of service.
  json dirs = c.Get("/cluster/acme/directories").data();
  ASSERT_EQ(dirs.size(), 2u) << dirs.dump();
  EXPECT_EQ(dirs[1]["url"], kCertsLe);
  const std::string tos = c.Get("/cluster/acme/tos", {{"directory", kCertsLe}}).data().get<std::string>();
  EXPECT_TRUE(tos.starts_with("https://letsencrypt.org/documents/")) << tos;

  // An account: the CA refuses it without the terms of service accepted; a name taken is refused at once.
  std::string upid = root.Post("/cluster/acme/account", {{"name", "le"}, {"contact", "ops@example.com"},
                                                       {"directory", kCertsLe}}).data().get<std::string>();
  EXPECT_NE(root.WaitTask(upid).find("must agree to terms of service"), std::string::npos);
  upid = root.Post("/cluster/acme/account", {{"name", "le"}, {"contact", "ops@example.com"}, {"directory", kCertsLe},
                                          {"tos_url", tos}}).data().get<std::string>();
  ASSERT_NE(upid.find(":acmeregister:le:"), std::string::npos) << upid;
  ASSERT_EQ(root.WaitTask(upid), "OK");
  EXPECT_EQ(root.Get("/cluster/acme/account").data(), (json::array({{{"name", "le"}}})));
  json account = root.Get("/cluster/acme/account/le").data();
  EXPECT_EQ(account["directory"], kCertsLe);
  EXPECT_EQ(account["tos"], tos);
  EXPECT_EQ(account["account"]["contact"], json::array({"mailto:ops@example.com"}));
  EXPECT_FALSE(account.contains("key")) << "the account key stays in priv/acme/le";
  EXPECT_EQ(root.Post("/cluster/acme/account", {{"name", "le"}, {"contact", "a@example.com"}}).message(),
            "ACME account config file 'le' already exists.\n");
  EXPECT_EQ(root.Post("/cluster/acme/account", {{"name", "x"}, {"contact", "not-an-address"}}).status, 400);
  EXPECT_EQ(c.Get("/cluster/acme/account/le").status, 403) << "not even root's token";
  ASSERT_EQ(root.WaitTask(root.Put("/cluster/acme/account/le", {{"contact", "pki@example.com"}}).data()), "OK");
  EXPECT_EQ(root.Get("/cluster/acme/account/le").data()["account"]["contact"], json::array({"mailto:pki@example.com"}));

  // Plugins: 'standalone' is always there; a DNS plugin's data is base64 and answered as given.
  json plugins = c.Get("/cluster/acme/plugins").data();
  ASSERT_EQ(plugins.size(), 1u) << plugins.dump();
  EXPECT_EQ(plugins[0]["plugin"], "standalone");
  EXPECT_EQ(c.Post("/cluster/acme/plugins", {{"id", "cf"}, {"type", "dns"}, {"api", "cf"}, {"data", "not base64!"}})
                .errors().value("data", ""), "value is not base64 encoded");
  EXPECT_EQ(c.Post("/cluster/acme/plugins", {{"id", "cf"}, {"type", "dns"}, {"api", "no-such-api"}}).status, 400);
  ASSERT_EQ(c.Post("/cluster/acme/plugins", {{"id", "cf"}, {"type", "dns"}, {"api", "cf"},
                                             {"data", "Q0ZfVG9rZW49c2VjcmV0"}, {"validation-delay", "60"}}).status, 200);
  json cf = c.Get("/cluster/acme/plugins/cf").data();
  EXPECT_EQ(cf["data"], "Q0ZfVG9rZW49c2VjcmV0");
  EXPECT_EQ(cf["validation-delay"], 60);
  EXPECT_EQ(cf["api"], "cf");
  ASSERT_EQ(c.Put("/cluster/acme/plugins/cf", {{"delete", "validation-delay"}, {"disable", "1"}}).status, 200);
  cf = c.Get("/cluster/acme/plugins/cf").data();
  EXPECT_FALSE(cf.contains("validation-delay"));
  EXPECT_EQ(cf["disable"], 1);
  EXPECT_EQ(c.Put("/cluster/acme/plugins/cf", {{"delete", "api"}}).status, 400);
  EXPECT_EQ(c.Post("/cluster/acme/plugins", {{"id", "cf"}, {"type", "dns"}, {"api", "cf"}}).message(),
            "ACME plugin ID 'cf' already exists\n");

  // The node config's ACME keys: formats as the schema says, an unknown plugin refused by the order.
  EXPECT_EQ(c.Put("/nodes/pve-01/config", {{"acmedomain0", "not_a_domain"}}).status, 400);
  ASSERT_EQ(c.Put("/nodes/pve-01/config", {{"acme", "account=le"}, {"acmedomain0", "pve1.example.com,plugin=nope"}}).status, 200);
  json conf = c.Get("/nodes/pve-01/config").data();
  EXPECT_EQ(conf["acme"], "account=le");
  EXPECT_EQ(conf["acmedomain0"], "pve1.example.com,plugin=nope");
  EXPECT_EQ(c.Post("/nodes/pve-02/certificates/acme/certificate").message(),
            "ACME domain list in node configuration is missing!\n");
  EXPECT_EQ(c.WaitTask(c.Post("/nodes/pve-01/certificates/acme/certificate").data()),
            "domain 'pve1.example.com' is configured to use non-existent plugin 'nope'");
  EXPECT_EQ(c.Put("/nodes/pve-01/config", {{"acmedomain1", "pve1.example.com"}}).message(),
            "duplicate domain 'pve1.example.com' in ACME config properties\n");
  ASSERT_EQ(c.Put("/nodes/pve-01/config", {{"acmedomain0", "pve1.example.com,plugin=cf"},
                                           {"acmedomain1", "pve.example.com,plugin=cf,alias=acme.example.net"}}).status, 200);

  // The order: a task that installs a certificate for the configured domains.
  EXPECT_EQ(CertsProxyCert(c, "pve-01"), nullptr);
  upid = c.Post("/nodes/pve-01/certificates/acme/certificate").data().get<std::string>();
  ASSERT_NE(upid.find(":acmenewcert:"), std::string::npos) << upid;
  ASSERT_EQ(c.WaitTask(upid), "OK");
  json cert = CertsProxyCert(c, "pve-01");
  ASSERT_TRUE(cert.is_object());
  EXPECT_EQ(cert["san"], json::array({"DNS:pve1.example.com", "DNS:pve.example.com"}));
  EXPECT_GT(cert["notafter"].get<long long>(), cert["notbefore"].get<long long>() + 80LL * 24 * 3600);
  EXPECT_EQ(cert["fingerprint"].get<std::string>().size(), 95u);
  EXPECT_EQ(c.Post("/nodes/pve-01/certificates/acme/certificate").errors().value("force", ""),
            "Custom certificate exists but 'force' is not set.");
  EXPECT_EQ(c.Put("/nodes/pve-01/certificates/acme/certificate").errors().value("force", ""),
            "Certificate does not expire within the next 30 days, and 'force' is not set.");
  upid = c.Put("/nodes/pve-01/certificates/acme/certificate", {{"force", "1"}}).data().get<std::string>();
  ASSERT_NE(upid.find(":acmerenew:"), std::string::npos) << upid;
  ASSERT_EQ(c.WaitTask(upid), "OK");
  EXPECT_NE(CertsProxyCert(c, "pve-01")["fingerprint"], cert["fingerprint"]);
  ASSERT_EQ(c.WaitTask(c.Delete("/nodes/pve-01/certificates/acme/certificate").data()), "OK");
  EXPECT_EQ(CertsProxyCert(c, "pve-01"), nullptr);

  // A custom certificate: the key must match, an existing one is replaced only with force.
  auto mine = pvesim::IssueCertificate({"custom.example.org"}, "Example CA", 365);
  auto other = pvesim::IssueCertificate({"other.example.org"}, "Example CA", 365);
  ASSERT_TRUE(mine && other);
  EXPECT_EQ(c.Post("/nodes/pve-01/certificates/custom", {{"certificates", "garbage"}, {"key", mine->second}}).status, 400);
  EXPECT_NE(c.Post("/nodes/pve-01/certificates/custom", {{"certificates", mine->first}, {"key", other->second}})
                .message().find("Key check failed"), std::string::npos);
  ApiResult up = c.Post("/nodes/pve-01/certificates/custom", {{"certificates", mine->first}, {"key", mine->second}});
  ASSERT_EQ(up.status, 200) << up.raw;
  EXPECT_EQ(up.data()["san"], json::array({"DNS:custom.example.org"}));
  EXPECT_EQ(CertsProxyCert(c, "pve-01")["fingerprint"], up.data()["fingerprint"]);
  EXPECT_EQ(c.Post("/nodes/pve-01/certificates/custom", {{"certificates", other->first}, {"key", other->second}}).message(),
            "Custom certificate exists but 'force' is not set.\n");
  ASSERT_EQ(c.Post("/nodes/pve-01/certificates/custom", {{"certificates", other->first}, {"key", other->second},
                                                         {"force", "1"}, {"restart", "1"}}).status, 200);
  EXPECT_EQ(CertsProxyCert(c, "pve-01")["san"], json::array({"DNS:other.example.org"}));
  ASSERT_EQ(c.Delete("/nodes/pve-01/certificates/custom").status, 200);
  EXPECT_EQ(CertsProxyCert(c, "pve-01"), nullptr);

  // Removing the plugin and deactivating the account.
  ASSERT_EQ(c.Delete("/cluster/acme/plugins/cf").status, 200);
  EXPECT_EQ(c.Get("/cluster/acme/plugins", {{"type", "dns"}}).data(), json::array());
  ASSERT_EQ(root.WaitTask(root.Delete("/cluster/acme/account/le").data()), "OK");
  EXPECT_EQ(root.Get("/cluster/acme/account").data(), json::array());
  EXPECT_EQ(root.Get("/cluster/acme/account/le").message(), "ACME account config file 'le' does not exist.\n");
}

}  // namespace
}  // namespace hainfra::testing
