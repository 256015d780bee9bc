#include "engine/plan/action.h"

#include <gtest/gtest.h>

namespace hainfra::plan {
namespace {

ActionFacts Facts(bool desired, bool observed) {
  ActionFacts f;
  f.desired = desired;
  f.observed = observed;
  return f;
}

TEST(ChooseAction, DeclaredButMissingGivesCreate) {
  EXPECT_EQ(ChooseAction(Facts(true, false)), Action::kCreate);
}

TEST(ChooseAction, DeclaredAndEqualGivesNoOp) {
  EXPECT_EQ(ChooseAction(Facts(true, true)), Action::kNoOp);
}

TEST(ChooseAction, DifferingFieldGivesUpdate) {
  ActionFacts f = Facts(true, true);
  f.differs = true;
  EXPECT_EQ(ChooseAction(f), Action::kUpdate);
}

TEST(ChooseAction, ChangedForceNewFieldGivesReplace) {
  ActionFacts f = Facts(true, true);
  f.differs = true;
  f.force_new = true;
  EXPECT_EQ(ChooseAction(f), Action::kReplace);
}

TEST(ChooseAction, AbsentAndPresentGivesDelete) {
  ActionFacts f = Facts(true, true);
  f.absent = true;
  f.differs = true;  // fields of an absent object do not matter
  EXPECT_EQ(ChooseAction(f), Action::kDelete);
}

TEST(ChooseAction, AbsentAndMissingGivesNoOp) {
  ActionFacts f = Facts(true, false);
  f.absent = true;
  EXPECT_EQ(ChooseAction(f), Action::kNoOp);
}

TEST(ChooseAction, UndeclaredObjectsAreLeftAloneWithoutPruning) {
  ActionFacts f = Facts(false, true);
  f.owned = true;
  EXPECT_EQ(ChooseAction(f), Action::kNoOp);
}

TEST(ChooseAction, PruningDeletesOnlyOwnedObjects) {
  ActionFacts f = Facts(false, true);
  f.prune = true;
  EXPECT_EQ(ChooseAction(f), Action::kNoOp);
  f.owned = true;
  EXPECT_EQ(ChooseAction(f), Action::kDelete);
}

TEST(ChooseAction, UndeclaredObjectWhoseRemovalIsByHandGivesDelete) {
  ActionFacts f = Facts(false, true);
  f.by_hand = true;
  EXPECT_EQ(ChooseAction(f), Action::kDelete);
  EXPECT_EQ(ChooseAction(Facts(false, false)), Action::kNoOp) << "nothing in the cluster, nothing to remove";
}

TEST(ChooseAction, DeleteAndReplaceAreDestructive) {
  EXPECT_TRUE(IsDestructive(Action::kDelete));
  EXPECT_TRUE(IsDestructive(Action::kReplace));
  EXPECT_FALSE(IsDestructive(Action::kUpdate));
  EXPECT_FALSE(IsDestructive(Action::kCreate));
  EXPECT_FALSE(IsDestructive(Action::kNoOp));
}

}  // namespace
}  // namespace hainfra::plan
