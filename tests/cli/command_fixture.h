// A world for CLI command tests: a fake cluster with vm (prunable) and storage kinds, a spec, and a
// console whose streams are strings.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <sstream>

#include "cli/command_options.h"
#include "tests/testing/fake_kind.h"
#include "tests/testing/planning.h"

namespace hainfra::cli {

class CommandTest : public ::testing::Test {
 protected:
  CommandTest() {
    KindTraits vm = testing::FakeTraits("vm", 7);
    vm.prunable = true;
    vm_ = std::make_unique<testing::FakeKind>(cluster_, vm);
    storage_ = std::make_unique<testing::FakeKind>(cluster_, testing::FakeTraits("storage", 5));
  }

  std::vector<ResourceKind*> Kinds() { return {vm_.get(), storage_.get()}; }

  Console& Terminal(bool interactive, const std::string& input = "") {
    in_.str(input);
    console_ = std::make_unique<Console>(Console{in_, out_, err_, interactive, false, false});
    return *console_;
  }
  std::string Out() const { return out_.str(); }
  std::string Err() const { return err_.str(); }
  void ClearOutput() {
    out_.str("");
    err_.str("");
  }

  testing::FakeCluster cluster_;
  std::unique_ptr<testing::FakeKind> vm_;
  std::unique_ptr<testing::FakeKind> storage_;
  std::istringstream in_;
  std::ostringstream out_, err_;
  std::unique_ptr<Console> console_;
};

}  // namespace hainfra::cli
