// Cluster consistency as corosync needs it: every node has an address on every link, inside the link's
// network, unique per link; node addresses and ids are unique; the vote count can survive a node failure.
#include <map>
#include <set>

#include "engine/spec/checks.h"
#include "engine/spec/ip_math.h"

namespace hainfra::spec {
namespace {

struct Link {
  int id = 0;
  std::string network;
};

std::vector<Link> ClusterLinks(const Resource* cluster) {
  std::vector<Link> links;
  if (cluster == nullptr) return links;
  const Value& corosync = ObjectAt(cluster->body, "corosync");
  for (const Value& link : ListAt(corosync, "links")) {
    if (link.contains("id") && link["id"].is_number_integer()) {
      links.push_back(Link{link["id"].get<int>(), Str(link, "network")});
    }
  }
  return links;
}

void CheckLinks(CheckContext& ctx, const Resource* cluster, const std::vector<const Resource*>& nodes) {
  const std::vector<Link> links = ClusterLinks(cluster);
  std::set<int> declared;
  for (const Link& l : links) declared.insert(l.id);
  std::map<std::string, const Resource*> used[8];  // per link: address -> node
  for (const Resource* node : nodes) {
    const Value& corosync = ObjectAt(node->body, "corosync");
    for (const Link& link : links) {
      const std::string key = "link" + std::to_string(link.id);
      const std::string pointer = "/corosync/" + key;
      const std::string address = Str(corosync, key.c_str());
      if (address.empty()) {
        ctx.Error(*node, Has(node->body, "corosync") ? "/corosync" : "",
                  "no address for corosync link " + std::to_string(link.id) + " (cluster.corosync.links declares it): "
                  "add corosync." + key);
        continue;
      }
      if (!link.network.empty() && !InNetwork(address, link.network)) {
        ctx.Error(*node, pointer, "corosync " + key + " address " + address + " is outside link " +
                                      std::to_string(link.id) + "'s network " + link.network);
      }
      auto [it, inserted] = used[link.id].emplace(address, node);
      if (!inserted) {
        ctx.Error(*node, pointer, "corosync " + key + " address " + address + " is also used by " +
                                      it->second->address.ToString());
      }
    }
    if (cluster == nullptr || links.empty()) continue;
    for (int id = 0; id <= 7; ++id) {
      const std::string key = "link" + std::to_string(id);
      if (corosync.contains(key) && declared.count(id) == 0) {
        ctx.Error(*node, "/corosync/" + key,
                  "corosync " + key + " is not a link of the cluster (add it to cluster.corosync.links)");
      }
    }
  }
}

void CheckUniqueAddresses(CheckContext& ctx, const std::vector<const Resource*>& nodes) {
  std::map<std::string, const Resource*> addresses;
  std::map<int64_t, const Resource*> ids;
  for (const Resource* node : nodes) {
    const std::string address = Str(node->body, "address");
    if (!address.empty()) {
      auto [it, inserted] = addresses.emplace(address, node);
      if (!inserted) {
        ctx.Error(*node, "/address", "address " + address + " is also used by " + it->second->address.ToString());
      }
    }
    const Value& corosync = ObjectAt(node->body, "corosync");
    if (corosync.contains("nodeid") && corosync["nodeid"].is_number_integer()) {
      auto [it, inserted] = ids.emplace(corosync["nodeid"].get<int64_t>(), node);
      if (!inserted) {
        ctx.Error(*node, "/corosync/nodeid", "corosync nodeid " + corosync["nodeid"].dump() + " is also used by " +
                                                 it->second->address.ToString());
      }
    }
  }
}

// Quorum needs a strict majority of votes: 2 nodes lose it with either node, an even count can split into
// halves. Proxmox recommends a QDevice for even node counts and advises against one for odd counts.
void CheckVotes(CheckContext& ctx, const Resource* cluster, const std::vector<const Resource*>& nodes) {
  if (nodes.size() < 2) return;
  int64_t votes = 0;
  for (const Resource* node : nodes) {
    const Value& corosync = ObjectAt(node->body, "corosync");
    if (corosync.contains("votes") && corosync["votes"].is_number_integer() && corosync["votes"].get<int64_t>() == 0) {
      // Proxmox's API allows it; corosync would run the node while the others alone decide quorum for it.
      ctx.Error(*node, "/corosync/votes", "votes 0: a member without a vote is refused (quorum would be decided "
                                          "without it while it runs guests); use 1 or more");
    }
    votes += corosync.contains("votes") && corosync["votes"].is_number_integer() ? corosync["votes"].get<int64_t>()
                                                                                  : 1;
  }
  const bool qdevice = cluster != nullptr && ObjectAt(cluster->body, "corosync").contains("qdevice") &&
                       Str(ObjectAt(ObjectAt(cluster->body, "corosync"), "qdevice"), "state") != "absent";
  const Resource& at = cluster != nullptr ? *cluster : *nodes.back();
  const std::string pointer = cluster != nullptr && Has(cluster->body, "corosync") ? "/corosync" : "";
  if (!qdevice && nodes.size() == 2 && votes == 2) {
    ctx.Warning(at, pointer,
                "a 2-node cluster loses quorum when either node fails: add cluster.corosync.qdevice");
  } else if (!qdevice && votes % 2 == 0) {
    ctx.Warning(at, pointer, "an even number of votes (" + std::to_string(votes) +
                                 ") can split into two halves without quorum: add cluster.corosync.qdevice");
  } else if (qdevice && votes % 2 == 1) {
    ctx.Warning(at, pointer + "/qdevice", "a QDevice with an odd number of votes (" + std::to_string(votes) +
                                              ") can lower availability: Proxmox recommends it for even counts only");
  }
}

// What corosync-qdevice refuses or Proxmox's `pvecm qdevice setup` would not set up (corosync-qdevice(8)):
// ffsplit gives exactly one vote, to one half of an even split, so it needs an even node count, one vote per
// node and one for the QDevice; lms computes its votes itself (nodes - 1) and needs `votes` left out.
void CheckQdevice(CheckContext& ctx, const Resource* cluster, const std::vector<const Resource*>& nodes) {
  if (cluster == nullptr) return;
  const Value& qdevice = ObjectAt(ObjectAt(cluster->body, "corosync"), "qdevice");
  if (qdevice.empty() || Str(qdevice, "state") == "absent" || nodes.empty()) return;
  const std::string at = "/corosync/qdevice";
  const bool odd = nodes.size() % 2 == 1;
  const std::string algorithm = Has(qdevice, "algorithm") ? Str(qdevice, "algorithm") : (odd ? "lms" : "ffsplit");
  if (nodes.size() == 1) {
    ctx.Error(*cluster, at, "a QDevice needs a cluster of at least two nodes (the spec declares one)");
    return;
  }
  // The QNetd host votes from outside: on a member it fails together with that member.
  const std::string host = Str(qdevice, "address");
  for (const Resource* node : nodes) {
    bool on_node = Str(node->body, "address") == host || node->address.name == host;
    for (const auto& [key, value] : ObjectAt(node->body, "corosync").items()) {
      if (key.starts_with("link") && value.is_string() && value.get<std::string>() == host) on_node = true;
    }
    if (on_node) {
      ctx.Error(*cluster, at + "/address", "the QNetd host " + host + " is " + node->address.ToString() +
                                               ": it must be outside the cluster to vote when that node fails");
    }
  }
  if (algorithm == "ffsplit") {
    if (odd) {
      ctx.Error(*cluster, at + "/algorithm",
                "ffsplit gives its one vote to one half of an even split; with " + std::to_string(nodes.size()) +
                    " nodes (odd) use lms, as `pvecm qdevice setup --force` does");
    }
    if (qdevice.contains("votes") && qdevice["votes"].is_number_integer() && qdevice["votes"].get<int64_t>() != 1) {
      ctx.Error(*cluster, at + "/votes", "ffsplit needs the QDevice's votes to be 1 (corosync-qdevice refuses " +
                                             qdevice["votes"].dump() + ")");
    }
    for (const Resource* node : nodes) {
      const Value& corosync = ObjectAt(node->body, "corosync");
      if (corosync.contains("votes") && corosync["votes"].is_number_integer() && corosync["votes"].get<int64_t>() != 1) {
        ctx.Error(*node, "/corosync/votes", "the cluster's QDevice uses ffsplit, which needs every node's votes to "
                                            "be 1 (corosync-qdevice refuses " + corosync["votes"].dump() + ")");
      }
    }
  } else if (algorithm == "lms" && qdevice.contains("votes")) {
    ctx.Error(*cluster, at + "/votes", "lms computes the QDevice's votes itself (nodes - 1): leave votes out, as "
                                       "corosync-qdevice requires");
  }
}

}  // namespace

void CheckCluster(CheckContext& ctx) {
  const std::vector<const Resource*>& clusters = ctx.OfKind("cluster");
  const Resource* cluster = clusters.empty() ? nullptr : clusters.front();
  std::vector<const Resource*> nodes;
  for (const Resource* n : ctx.OfKind("node")) {
    if (!n->absent) nodes.push_back(n);
  }
  CheckLinks(ctx, cluster, nodes);
  CheckUniqueAddresses(ctx, nodes);
  CheckVotes(ctx, cluster, nodes);
  CheckQdevice(ctx, cluster, nodes);
}

}  // namespace hainfra::spec
