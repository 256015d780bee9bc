#include "schemas/sections.h"

#include "schemas/firewall_fields.h"

namespace hainfra::schemas {

const std::vector<SectionSpec>& Sections() {
  // The explicit list: adding a section adds one line here and one schemas/<kind>_fields.cc.
  static const std::vector<SectionSpec> sections = {
      ClusterSection(),  DatacenterSection(), NodeSection(),       VlanSection(),       CephPoolSection(),
      StorageSection(),  ImageSection(),      VmSection(),         CtSection(),         HaGroupSection(),    HaRuleSection(),
      HaResourceSection(), PoolSection(),   BackupJobSection(), BaselineSection(),
      AccessGroupSection(), AccessUserSection(), AccessRoleSection(), AccessTokenSection(), AccessAclSection(),
      AccessRealmSection(),
      FirewallAliasSection(), FirewallIpsetSection(), FirewallGroupSection(), FirewallGuestSection(),
      FirewallNodeSection(), FirewallClusterSection(),
      ReplicationSection(),
      NotificationSendmailSection(), NotificationSmtpSection(), NotificationGotifySection(),
      NotificationWebhookSection(), NotificationMatcherSection(),
      MetricServerSection(), PciMappingSection(), UsbMappingSection(),
      AcmePluginSection(),
  };
  return sections;
}

const SectionSpec* FindSection(std::string_view kind) {
  for (const SectionSpec& s : Sections()) {
    if (s.kind == kind) return &s;
  }
  return nullptr;
}

const std::vector<SectionSpec>& SettingsSections() {
  static const std::vector<SectionSpec> sections = {EnforcementSection()};
  return sections;
}

const SectionSpec* FindSettingsSection(std::string_view kind) {
  for (const SectionSpec& s : SettingsSections()) {
    if (s.kind == kind) return &s;
  }
  return nullptr;
}

const std::vector<PlanKind>& PlanKinds() {
  // `cluster` and `baseline` objects are planned by the kinds derived from them, never as themselves.
  static const std::vector<PlanKind> kinds = [] {
    std::vector<PlanKind> out;
    for (const SectionSpec& s : Sections()) {
      if (s.kind != "cluster" && s.kind != "baseline") out.push_back({s.kind, s.kind, s.kind == "node"});
    }
    out.push_back({"network", "node", true});
    out.push_back({"corosync", "cluster", true});
    out.push_back({"apt", "baseline", true});
    out.push_back({"packages", "baseline", true});
    out.push_back({"sshd", "baseline", true});
    out.push_back({"node_settings", "node", true});
    return out;
  }();
  return kinds;
}

}  // namespace hainfra::schemas
