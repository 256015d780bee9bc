// `cluster:` — the one cluster: its name, how hainfra connects to it, and corosync (totem, links, QDevice).
#include "schemas/field_builders.h"
#include "schemas/sections.h"

namespace hainfra::schemas {
namespace {

FieldSpec ApiFields() {
  return Object("api", "How hainfra reaches the PVE API (connection settings: read, never diffed)",
                {
                    String("endpoint", "API URL of any cluster node").Format("https-url").Required()
                        .Example("https://10.0.0.11:8006"),
                    String("token", "API token id").Format("api-token").Example("hainfra@pve!ci"),
                    String("secret", "API token secret").Secret().Example("${env:PVE_TOKEN_SECRET}"),
                    String("tls_fingerprint", "pinned SHA-256 fingerprint of the node certificate")
                        .Format("sha256-fingerprint"),
                    String("ca_file", "CA bundle that signed the node certificates"),
                    Bool("verify_tls", "verify the certificate (default true)"),
                })
      .Unmanaged();
}

FieldSpec SshFields() {
  return Object("ssh", "How hainfra reaches the nodes over SSH (connection settings: read, never diffed)",
                {
                    String("user", "login user (default root)").Example("root"),
                    Int("port", "SSH port (default 22)").Min(1).Max(65535),
                    String("identity", "private key file (else the SSH agent)").Example("~/.ssh/id_ed25519"),
                    String("known_hosts", "known_hosts file checked strictly").Example("~/.ssh/known_hosts"),
                    Bool("trust_on_first_use", "accept and record unknown host keys (default false)"),
                })
      .Unmanaged();
}

FieldSpec ClusterCorosyncFields() {
  return Object(
      "corosync", "Corosync settings of the cluster",
      {
          Object("totem", "totem timings (written to /etc/pve/corosync.conf)",
                 {
                     Int("token", "token timeout in ms").Min(1).Example("3000"),
                     Int("token_coefficient", "ms added to the token timeout per node beyond two").Min(0),
                     Int("consensus", "consensus timeout in ms (default 1.2 x token)").Min(1),
                     Int("join", "join timeout in ms").Min(1),
                 }),
          List("links", "the corosync (knet) links; every node needs an address on each",
               Object("link", "one link",
                      {
                          Int("id", "link number, as in link0..link7").Min(0).Max(7).Required(),
                          String("network", "the link's network; node addresses must lie inside")
                              .Format("cidr").Required().Example("10.10.10.0/24"),
                          Int("priority", "knet priority in passive mode (higher is preferred)").Min(0).Max(255),
                      }))
              .Key("id"),
          Object("qdevice", "an external QDevice vote (recommended for an even number of nodes), set up as "
                            "`pvecm qdevice setup` does",
                 {
                     String("address", "the QNetd host: reached over SSH as cluster.ssh says, and by every node's "
                                       "corosync-qdevice on its port")
                         .Format("address").Required().Example("10.0.0.5"),
                     StateField({"present", "absent"}, "absent removes the QDevice (as `pvecm qdevice remove`)"),
                     Enum("algorithm", "QNetd algorithm (default ffsplit for an even node count, lms for an odd one)",
                          {"ffsplit", "lms"}),
                     Enum("tls", "TLS to the QNetd host (default on: tried first, plain if the server has none)",
                          {"on", "off", "required"}),
                     Int("votes", "the QDevice's votes (ffsplit: 1, the default; lms: corosync's default, nodes - 1)")
                         .Min(1),
                     Int("port", "QNetd's TCP port (default 5403)").Min(1).Max(65535),
                 }),
      });
}

}  // namespace

SectionSpec ClusterSection() {
  return {.path = "cluster",
          .kind = "cluster",
          .identity = "name",
          .singleton = true,
          .item = Object("cluster", "The cluster as a whole",
                         {
                             String("name", "cluster name (as created with pvecm)").Format("pve-node")
                                 .MaxLength(15).Required().ForceNew().Example("lab"),
                             ApiFields(),
                             SshFields(),
                             ClusterCorosyncFields(),
                         })};
}

}  // namespace hainfra::schemas
