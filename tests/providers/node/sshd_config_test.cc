#include "providers/node/sshd_config.h"

#include <gtest/gtest.h>

namespace hainfra::node {
namespace {

TEST(SshdConfig, PlainSettingsAreAccepted) {
  EXPECT_TRUE(CheckSshdSetting("PermitRootLogin", "prohibit-password"));
  EXPECT_TRUE(CheckSshdSetting("AllowUsers", "root admin@10.0.0.0/8"));
  EXPECT_TRUE(CheckSshdSetting("Ciphers", "aes256-gcm@openssh.com,chacha20-poly1305@openssh.com"));
}

TEST(SshdConfig, HostileValuesAreRefusedWithTheKeywordNamed) {
  for (const std::string value : {"no\nPermitRootLogin yes", "yes # comment", "\"no\"", "a\\b", "", "no ",
                                  " no", "a  b", "tab\there", "x\r"}) {
    Status s = CheckSshdSetting("PasswordAuthentication", value);
    ASSERT_FALSE(s) << "accepted: " << value;
    EXPECT_NE(s.error().message.find("PasswordAuthentication"), std::string::npos) << s.error().message;
  }
}

TEST(SshdConfig, KeywordsThatChangeHowTheConfigIsReadAreRefused) {
  EXPECT_FALSE(CheckSshdSetting("Match", "User root"));
  EXPECT_FALSE(CheckSshdSetting("include", "/tmp/evil"));
  EXPECT_FALSE(CheckSshdSetting("Permit-Root", "no"));
  EXPECT_FALSE(CheckSshdSetting("9Lives", "no"));
}

TEST(SshdConfig, DropInHoldsOneLinePerSettingAfterAHeader) {
  const std::string text =
      RenderSshdDropIn(Value{{"PasswordAuthentication", "no"}, {"PermitRootLogin", "prohibit-password"}}, "standard");
  EXPECT_TRUE(text.starts_with("# Managed by hainfra (baseline standard)"));
  EXPECT_NE(text.find("\nPasswordAuthentication no\n"), std::string::npos);
  EXPECT_NE(text.find("\nPermitRootLogin prohibit-password\n"), std::string::npos);
}

TEST(SshdConfig, ValuesCompareInSshdsSpelling) {
  EXPECT_EQ(NormalizeSshdValue("PasswordAuthentication", "No"), "no");
  EXPECT_EQ(NormalizeSshdValue("PermitRootLogin", "without-password"), "prohibit-password");
  EXPECT_EQ(NormalizeSshdValue("LoginGraceTime", "2m"), "120");
  EXPECT_EQ(NormalizeSshdValue("ClientAliveInterval", "1h30m"), "5400");
  EXPECT_EQ(NormalizeSshdValue("AllowUsers", "  root   Admin "), "root Admin");  // user names keep case
}

TEST(SshdConfig, SnapshotSectionsAreSplitByTheMarker) {
  const std::string m = "@@hainfra-test@@";
  const std::string output = m + " main\nInclude /etc/ssh/sshd_config.d/*.conf\nPort 22\n\n" + m +
                             " file /etc/ssh/sshd_config.d/10-hainfra.conf\nPermitRootLogin no\n\n" + m +
                             " effective\npermitrootlogin no\nport 22\n\n" + m + " exit 0\n";
  Result<SshdSnapshot> s = ParseSshdSnapshot(output, m);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->main, "Include /etc/ssh/sshd_config.d/*.conf\nPort 22\n");
  ASSERT_EQ(s->files.size(), 1u);
  EXPECT_EQ(s->files.begin()->second, "PermitRootLogin no\n");
  EXPECT_TRUE(s->effective_ok);
  EXPECT_NE(s->effective.find("permitrootlogin no"), std::string::npos);
}

TEST(SshdConfig, TruncatedSnapshotIsAnError) {
  EXPECT_FALSE(ParseSshdSnapshot("@@m@@ main\nPort 22\n", "@@m@@"));
  EXPECT_FALSE(ParseSshdSnapshot("", "@@m@@"));
}

SshdSnapshot Debian(const std::string& main) {
  SshdSnapshot s;
  s.main = main;
  s.files["/etc/ssh/sshd_config.d/10-hainfra.conf"] = "# Managed by hainfra\nPermitRootLogin prohibit-password\n";
  s.files["/etc/ssh/sshd_config.d/05-early.conf"] = "PasswordAuthentication yes\n";
  s.effective = "permitrootlogin without-password\npasswordauthentication yes\nallowusers root\nallowusers admin\n";
  s.effective_ok = true;
  return s;
}

TEST(SshdConfig, DropInsIncludedFirstAreReadBeforeTheMainFile) {
  SshdAnalysis a = AnalyzeSshd(Debian("Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin yes\n"));
  EXPECT_TRUE(a.included);
  EXPECT_TRUE(a.drop_in_exists);
  EXPECT_EQ(a.first.at("permitrootlogin").file, kSshdDropIn);
  EXPECT_EQ(a.first.at("passwordauthentication").file, "/etc/ssh/sshd_config.d/05-early.conf");
  EXPECT_LT(a.first.at("passwordauthentication").order, a.drop_in_order);  // 05 sorts before 10
  EXPECT_EQ(a.effective.at("allowusers"), "root admin");  // list keywords joined
}

TEST(SshdConfig, AMainFileWithoutIncludeSaysWhy) {
  SshdAnalysis a = AnalyzeSshd(Debian("PermitRootLogin yes\n"));
  EXPECT_FALSE(a.included);
  EXPECT_NE(a.not_included.find("Include"), std::string::npos);
}

TEST(SshdConfig, AnIncludeInsideAMatchBlockDoesNotCount) {
  SshdAnalysis a = AnalyzeSshd(Debian("Match User admin\n  Include /etc/ssh/sshd_config.d/*.conf\n"));
  EXPECT_FALSE(a.included);
  EXPECT_NE(a.not_included.find("Match"), std::string::npos);
}

TEST(SshdConfig, ObservedValuesComeFromTheDropInWhenItWinsElseFromSshdT) {
  SshdAnalysis a = AnalyzeSshd(Debian("Include /etc/ssh/sshd_config.d/*.conf\n"));
  Value observed = ObservedSshdSettings(Value{{"PermitRootLogin", "prohibit-password"}, {"AllowUsers", "root"}}, a);
  EXPECT_EQ(observed["PermitRootLogin"], "prohibit-password");
  EXPECT_EQ(observed["AllowUsers"], "root admin");
}

TEST(SshdConfig, UndeclaredKeywordsInTheDropInAreObserved) {
  SshdSnapshot s = Debian("Include /etc/ssh/sshd_config.d/*.conf\n");
  s.files[kSshdDropIn] += "X11Forwarding yes\n";  // added by hand
  Value observed = ObservedSshdSettings(Value{{"PermitRootLogin", "prohibit-password"}}, AnalyzeSshd(s));
  EXPECT_EQ(observed["X11Forwarding"], "yes");
}

}  // namespace
}  // namespace hainfra::node
