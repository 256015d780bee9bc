// A rule list brought to the spec's order: rules already there are moved (never deleted and recreated), a rule
// changed in place keeps its position, a new rule is inserted and moved into place, the rest is deleted.
#include <gtest/gtest.h>

#include "providers/kinds/firewall_rules.h"

namespace hainfra::providers {
namespace {

Value FirewallTestRule(const std::string& action, const std::string& dport) {
  Value r = {{"type", "in"}, {"action", action}, {"proto", "tcp"}, {"dport", dport}, {"enable", true}};
  return r;
}

// Applies the ops as Proxmox would (insert at the top, moveto before the rule now there).
std::vector<Value> ApplyFirewallOps(std::vector<Value> list, const std::vector<FirewallRuleOp>& ops) {
  for (const FirewallRuleOp& op : ops) {
    switch (op.kind) {
      case FirewallRuleOp::kMove: {
        Value rule = list[op.pos];
        std::vector<Value> moved;
        for (size_t i = 0; i < list.size(); ++i) {
          if (i == op.target) moved.push_back(rule);
          if (i != op.pos) moved.push_back(list[i]);
        }
        if (op.target >= list.size()) moved.push_back(rule);
        list = moved;
        break;
      }
      case FirewallRuleOp::kUpdate:
        list[op.pos] = op.rule;
        break;
      case FirewallRuleOp::kInsert: {
        list.insert(list.begin(), op.rule);
        Value rule = list[0];
        std::vector<Value> moved;
        for (size_t i = 0; i < list.size(); ++i) {
          if (i == op.target + 1) moved.push_back(rule);
          if (i != 0) moved.push_back(list[i]);
        }
        if (op.target + 1 >= list.size()) moved.push_back(rule);
        list = op.target == 0 ? list : moved;
        break;
      }
      case FirewallRuleOp::kDelete:
        list.erase(list.begin() + static_cast<long>(op.pos));
        break;
    }
  }
  return list;
}

TEST(FirewallRuleOps, ASwappedPairIsOneMoveAndNoRuleIsRecreated) {
  const std::vector<Value> now = {FirewallTestRule("ACCEPT", "22"), FirewallTestRule("ACCEPT", "8006"),
                                  FirewallTestRule("DROP", "80")};
  const std::vector<Value> want = {now[1], now[0], now[2]};
  auto ops = PlanFirewallRuleOps(now, want);
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].kind, FirewallRuleOp::kMove);
  EXPECT_EQ(ops[0].pos, 1u);
  EXPECT_EQ(ops[0].target, 0u);
  EXPECT_EQ(ApplyFirewallOps(now, ops), want);
}

TEST(FirewallRuleOps, ARuleChangedInPlaceKeepsItsPosition) {
  const std::vector<Value> now = {FirewallTestRule("ACCEPT", "22"), FirewallTestRule("ACCEPT", "8006")};
  const std::vector<Value> want = {now[0], FirewallTestRule("ACCEPT", "8007")};
  auto ops = PlanFirewallRuleOps(now, want);
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].kind, FirewallRuleOp::kUpdate);
  EXPECT_EQ(ops[0].pos, 1u);
}

TEST(FirewallRuleOps, NewRulesAreInsertedIntoTheirPlaceAndLeftoversDeletedFromTheEnd) {
  const std::vector<Value> now = {FirewallTestRule("ACCEPT", "22"), FirewallTestRule("DROP", "80"),
                                  FirewallTestRule("DROP", "81")};
  const std::vector<Value> want = {FirewallTestRule("ACCEPT", "22"), FirewallTestRule("ACCEPT", "443"),
                                   FirewallTestRule("DROP", "80")};
  auto ops = PlanFirewallRuleOps(now, want);
  EXPECT_EQ(ApplyFirewallOps(now, ops), want);
  for (const FirewallRuleOp& op : ops) EXPECT_NE(op.kind, FirewallRuleOp::kUpdate) << "80 and 22 stay as they are";
}

TEST(FirewallRuleOps, AnyOrderIsReached) {
  std::vector<Value> now;
  for (const char* port : {"1", "2", "3", "4", "5"}) now.push_back(FirewallTestRule("ACCEPT", port));
  const std::vector<Value> want = {now[4], FirewallTestRule("DROP", "9"), now[2], now[0], now[3]};
  EXPECT_EQ(ApplyFirewallOps(now, PlanFirewallRuleOps(now, want)), want);
}

}  // namespace
}  // namespace hainfra::providers
