// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The iorepl verbs, driven in-process: exact output, exit status 2 and one
// line on stderr for bad input.

#include <sstream>

#include "cli.h"
#include "freebusy_commands.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ioreplication::iorepl {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::StartsWith;

struct Result {
  int status;
  std::string out;
  std::string err;
};

Result Iorepl(std::vector<std::string> args) {
  std::ostringstream out, err;
  const int status = RunCli(args, out, err);
  return {status, out.str(), err.str()};
}

int Lines(const std::string& s) {
  return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

// A bad-input run: exit 2, nothing on stdout, one line on stderr.
void ExpectRejected(const Result& r, const std::string& what) {
  EXPECT_EQ(r.status, kExitUsage);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(Lines(r.err), 1) << r.err;
  EXPECT_THAT(r.err, StartsWith("iorepl: "));
  EXPECT_THAT(r.err, HasSubstr(what));
}

constexpr char kG1Xid[] = "33221100554477668899aabbccddeeff000000000123";

TEST(ParseDaysTest, DaysAndAbseilUnits) {
  EXPECT_EQ(ParseDays("7d").value(), absl::Hours(168));
  EXPECT_EQ(ParseDays("2d12h").value(), absl::Hours(60));
  EXPECT_EQ(ParseDays("36h").value(), absl::Hours(36));
  EXPECT_EQ(ParseDays("90m").value(), absl::Minutes(90));
  for (const char* bad : {"", "d", "soon", "1.5d", "-1d", "-3h", "inf", "7dx",
                          "99999999999999999d"}) {
    EXPECT_THAT(std::string(ParseDays(bad).status().message()),
                HasSubstr("is not a duration"))
        << bad;
  }
}

TEST(InspectXidTest, PrintsGuidAndDecimalLocalId) {
  const Result r = Iorepl({"inspect", "xid", kG1Xid});
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "{00112233-4455-6677-8899-AABBCCDDEEFF}:291\n");
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(Iorepl({"inspect", "xid", std::string("0x") + kG1Xid}).out, r.out);
  EXPECT_EQ(
      Iorepl({"inspect", "xid", "33221100554477668899AABBCCDDEEFF01"}).out,
      "{00112233-4455-6677-8899-AABBCCDDEEFF}:1\n");
}

TEST(InspectXidTest, RejectsBadInput) {
  ExpectRejected(Iorepl({"inspect", "xid", "3322"}), "XID: byte 0: truncated");
  ExpectRejected(Iorepl({"inspect", "xid", std::string(kG1Xid) + "000000"}),
                 "XID: byte 24: 1 trailing bytes");
  ExpectRejected(Iorepl({"inspect", "xid", "zz"}), "hex: character 0");
  ExpectRejected(Iorepl({"inspect", "xid", "abc"}), "odd number of hex digits");
}

TEST(InspectPclTest, PrintsEntriesInStoredOrder) {
  // G1 first, then the all-zero GUID: not sorted, but accepted.
  const std::string hex =
      std::string("16") + kG1Xid + "16" + std::string(32, '0') + "00000000000a";
  const Result r = Iorepl({"inspect", "pcl", hex});
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out,
            "{00112233-4455-6677-8899-AABBCCDDEEFF}:291\n"
            "{00000000-0000-0000-0000-000000000000}:10\n");
  EXPECT_EQ(Iorepl({"inspect", "pcl", ""}).out, "");
}

TEST(InspectPclTest, RejectsBadInputNamingTheByte) {
  ExpectRejected(Iorepl({"inspect", "pcl", std::string("16") + kG1Xid + "30"}),
                 "PCL: byte 23: XidSize 48 is outside 17..24");
  // One GUID with LocalIds of two lengths (a GUID listed twice with one
  // length is read as its maximum; see pcl_test).
  ExpectRejected(
      Iorepl({"inspect", "pcl",
              std::string("16") + kG1Xid + "18" + std::string(kG1Xid, 32) +
                  "0000000000000001"}),
      "PCL: byte 23: namespace GUID {00112233-4455-6677-8899-AABBCCDDEEFF} "
      "appears twice, with a 6-byte and a 8-byte LocalId");
  ExpectRejected(Iorepl({"inspect", "pcl", "1633"}),
                 "PCL: byte 1: truncated XID");
}

TEST(InspectIdSetTest, GuidAndReplIdForms) {
  const Result r =
      Iorepl({"inspect", "idset",
              "9bb9ffb50f44774fb488c5c6702ee3a804000000005200a501515000"});
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "{B5FFB99B-440F-4F77-B488-C5C6702EE3A8}: 165-337\n");
  // --replid before or after the argument.
  const std::string replid_hex = "01000600000001042e0500000001045235375000";
  const std::string expected = "1: 66606,66613-66615\n";
  EXPECT_EQ(Iorepl({"inspect", "idset", replid_hex, "--replid"}).out, expected);
  EXPECT_EQ(Iorepl({"--replid", "inspect", "idset", replid_hex}).out, expected);
  EXPECT_EQ(Iorepl({"inspect", "--replid", "idset", replid_hex}).out, expected);
  EXPECT_EQ(Iorepl({"inspect", "idset", ""}).out, "");
}

TEST(InspectIdSetTest, OneLinePerReplicaAscending) {
  const std::string text =
      "{00112233-4455-6677-8899-AABBCCDDEEFF}: 1-5,9,12-20\n"
      "{FF000000-0000-0000-0000-000000000001}: 7";
  const Result encoded = Iorepl({"encode", "idset", text});
  ASSERT_EQ(encoded.status, 0) << encoded.err;
  const Result r = Iorepl(
      {"inspect", "idset", encoded.out.substr(0, encoded.out.size() - 1)});
  EXPECT_EQ(r.out,
            "{FF000000-0000-0000-0000-000000000001}: 7\n"
            "{00112233-4455-6677-8899-AABBCCDDEEFF}: 1-5,9,12-20\n");
}

TEST(InspectIdSetTest, RejectsBadInput) {
  ExpectRejected(Iorepl({"inspect", "idset", "0100ba000000", "--replid"}),
                 "IDSET: byte 2: unknown GLOBSET command 0xba");
  ExpectRejected(
      Iorepl({"inspect", "idset", "0000060000000000010000", "--replid"}),
      "IDSET: byte 0: REPLID 0 is reserved");
  ExpectRejected(Iorepl({"inspect", "idset", "0100"}),
                 "IDSET: byte 0: truncated replica GUID");
}

TEST(PclCompareTest, OneWord) {
  const std::string g1_5 = "1633221100554477668899aabbccddeeff000000000005";
  const std::string g1_6 = "1633221100554477668899aabbccddeeff000000000006";
  const std::string g0_1 = "16" + std::string(32, '0') + "000000000001";
  EXPECT_EQ(Iorepl({"pcl-compare", g1_5, g1_5}).out, "equal\n");
  EXPECT_EQ(Iorepl({"pcl-compare", g1_6, g1_5}).out, "newer\n");
  EXPECT_EQ(Iorepl({"pcl-compare", g1_5, g1_6}).out, "older\n");
  EXPECT_EQ(Iorepl({"pcl-compare", g1_6, g0_1 + g1_5}).out, "conflict\n");
  EXPECT_EQ(Iorepl({"pcl-compare", "", g1_5}).out, "older\n");
  EXPECT_EQ(Iorepl({"pcl-compare", "0x" + g1_5, ""}).out, "newer\n");
}

TEST(PclCompareTest, RejectsBadInputAndArity) {
  ExpectRejected(Iorepl({"pcl-compare", "16", ""}), "PCL: byte 1: truncated");
  ExpectRejected(Iorepl({"pcl-compare", "", "xx"}), "hex: character 0");
  ExpectRejected(Iorepl({"pcl-compare", ""}),
                 "'pcl-compare' takes 2 arguments, got 1");
}

TEST(EncodeIdSetTest, CanonicalLowerCaseHex) {
  const Result r = Iorepl(
      {"encode", "idset", "{00000000-0000-0000-0000-000000000000}: 1-3,5,7-9"});
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, std::string(32, '0') +
                       "05000000000042"
                       "01eb"
                       "5000\n");
  EXPECT_EQ(
      Iorepl({"encode", "idset", "1: 66606, 66613-66615", "--replid"}).out,
      "0100050000000104012e5235375000\n");
  // Several replicas separated by ';'.
  EXPECT_THAT(Iorepl({"encode", "idset",
                      "{00000000-0000-0000-0000-000000000001}: 1; "
                      "{00000000-0000-0000-0000-000000000000}: 2"})
                  .out,
              EndsWith("06000000000001"
                       "00\n"));
}

TEST(EncodeIdSetTest, RoundTripsThroughInspect) {
  const std::string text =
      "{12345678-9ABC-DEF0-1234-56789ABCDEF0}: "
      "1-5,9,12-20,70000,281474976710655";
  const Result encoded = Iorepl({"encode", "idset", text});
  ASSERT_EQ(encoded.status, 0);
  const Result decoded = Iorepl(
      {"inspect", "idset", encoded.out.substr(0, encoded.out.size() - 1)});
  EXPECT_EQ(decoded.out, text + "\n");
}

TEST(EncodeIdSetTest, RejectsBadText) {
  ExpectRejected(Iorepl({"encode", "idset",
                         "{00000000-0000-0000-0000-000000000000}: 5-1"}),
                 "inverted");
  ExpectRejected(Iorepl({"encode", "idset", "1-5"}), "line 1");
  ExpectRejected(Iorepl({"encode", "idset", "0: 1", "--replid"}), "REPLID 0");
}

TEST(CliTest, UsageErrors) {
  ExpectRejected(Iorepl({}), "missing command");
  ExpectRejected(Iorepl({"frobnicate"}), "unknown command 'frobnicate'");
  ExpectRejected(Iorepl({"inspect", "blob", "00"}),
                 "unknown command 'inspect blob'");
  ExpectRejected(Iorepl({"inspect", "xid"}),
                 "'inspect xid' takes 1 argument, got 0");
  ExpectRejected(Iorepl({"inspect", "xid", "00", "00"}),
                 "takes 1 argument, got 2");
  ExpectRejected(Iorepl({"inspect", "xid", "00", "--bogus"}),
                 "unknown option '--bogus'");
}

TEST(CliTest, DoubleDashEndsOptions) {
  // After "--", "--replid" would be an argument: here it makes arity wrong.
  ExpectRejected(Iorepl({"inspect", "idset", "--", "--replid"}),
                 "hex: character 0");
}

TEST(CliTest, HelpAndVersion) {
  const Result help = Iorepl({"--help"});
  EXPECT_EQ(help.status, 0);
  EXPECT_THAT(help.out, HasSubstr("iorepl inspect pcl HEX"));
  EXPECT_THAT(help.out, HasSubstr("Exit status"));
  EXPECT_EQ(Iorepl({"help"}).out, help.out);
  const Result version = Iorepl({"--version"});
  EXPECT_EQ(version.status, 0);
  EXPECT_THAT(version.out, StartsWith("iorepl 0."));
}

}  // namespace
}  // namespace ioreplication::iorepl
