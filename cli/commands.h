// The names of hainfra's subcommands with their one-line summaries: the single list that main.cc dispatches
// over and prints in `hainfra --help`, and that the tests check the CI templates of contrib/ci/ against.
#pragma once

#include <span>
#include <string_view>

namespace hainfra::cli {

struct CommandInfo {
  std::string_view name;
  std::string_view summary;
};

// Every subcommand, in the order `hainfra --help` lists them.
std::span<const CommandInfo> Commands();

// The entry of `name`, or nullptr when hainfra has no such command.
const CommandInfo* FindCommand(std::string_view name);

}  // namespace hainfra::cli
