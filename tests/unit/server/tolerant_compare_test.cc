#include "server/validation/tolerant_compare.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <sstream>
#include <string>

namespace gleaner::server {
namespace {

TextComparison Compare(const std::string& a, const std::string& b, Tolerance tolerance = {}) {
  std::istringstream in_a(a), in_b(b);
  return CompareTolerant(in_a, in_b, tolerance);
}

constexpr Tolerance kRelative{1e-6, 0};

TEST(TolerantCompare, IdenticalTextsAgree) {
  std::string text = "step 1: energy = -12.5 (converged)\nstep 2: energy = -12.75\n";
  TextComparison same = Compare(text, text);
  EXPECT_TRUE(same.agree);
  EXPECT_EQ(same.difference, "");
  EXPECT_TRUE(Compare("", "").agree);
}

TEST(TolerantCompare, NumbersWithinTheRelativeToleranceAgree) {
  EXPECT_TRUE(Compare("x 1.0000001 y\n", "x 1.0000002 y\n", kRelative).agree);
  EXPECT_TRUE(Compare("-3.5e10\n", "-3.5000001e10\n", kRelative).agree);
  // Without a tolerance only equal values agree, however they are spelled.
  EXPECT_FALSE(Compare("1.0000001", "1.0000002").agree);
  EXPECT_TRUE(Compare("1.50 +2 -0", "1.5 2.0 0").agree);
}

TEST(TolerantCompare, NumbersOutsideTheToleranceSayWhereAndByHowMuch) {
  TextComparison c = Compare("a 1 b\nc 2 1.2345 d\n", "a 1 b\nc 2 1.2399 d\n", kRelative);
  EXPECT_FALSE(c.agree);
  EXPECT_EQ(c.difference,
            "line 2, field 3: \"1.2345\" vs \"1.2399\" "
            "(difference 0.0054, relative 0.00436; tolerance relative 1e-06, absolute 0)");
}

TEST(TolerantCompare, AbsoluteToleranceCoversValuesNearZero) {
  // Relative to a tiny magnitude the difference is huge; the absolute floor lets it through.
  EXPECT_FALSE(Compare("1e-12", "-2e-12", kRelative).agree);
  EXPECT_TRUE(Compare("1e-12", "-2e-12", {1e-6, 1e-9}).agree);
  EXPECT_TRUE(Compare("0", "5e-10", {0, 1e-9}).agree);
  EXPECT_TRUE(Compare("0", "1e-9", {0, 1e-9}).agree);  // the bound itself is within
  TextComparison c = Compare("0", "2e-9", {0, 1e-9});
  EXPECT_EQ(c.difference, "line 1, field 1: \"0\" vs \"2e-9\" (difference 2e-09, relative 1; tolerance relative 0, absolute 1e-09)");
}

TEST(TolerantCompare, TheAmountOfSpaceTabsAndCarriageReturnsDoesNotMatter) {
  EXPECT_TRUE(Compare("   1.000    2.500\n", "1.000 2.500\n").agree);
  EXPECT_TRUE(Compare("a\t\tb \r\n", "a b\n").agree);
  EXPECT_TRUE(Compare("x=1", "x = 1").agree);  // '=' is a token of its own
}

TEST(TolerantCompare, ANewlineIsNotASpace) {
  TextComparison c = Compare("1 2\n", "1\n2\n");
  EXPECT_FALSE(c.agree);
  EXPECT_EQ(c.difference, "line 1, field 2: \"2\" vs end of line");
}

TEST(TolerantCompare, OneOutputEndingFirstDisagrees) {
  TextComparison longer = Compare("1\n2\n3\n", "1\n2\n");
  EXPECT_FALSE(longer.agree);
  EXPECT_EQ(longer.difference, "line 3, field 1: \"3\" vs end of output");
  EXPECT_EQ(Compare("1\n", "1\n\n").difference, "line 2, field 1: end of output vs end of line");
  EXPECT_EQ(Compare("1", "1\n").difference, "line 1, field 2: end of output vs end of line");
  EXPECT_EQ(Compare("", " 7").difference, "line 1, field 1: end of output vs \"7\"");
}

TEST(TolerantCompare, SeparatorsMustMatch) {
  TextComparison c = Compare("1.0,2.0\n", "1.0;2.0\n");
  EXPECT_FALSE(c.agree);
  EXPECT_EQ(c.difference, "line 1, field 2: \",\" vs \";\"");
  // Separators count as fields: "3.0" is the sixth.
  EXPECT_EQ(Compare("(1, 2, 3.0)", "(1,2,3.5)").difference, "line 1, field 6: \"3.0\" vs \"3.5\" "
            "(difference 0.5, relative 0.143; tolerance relative 0, absolute 0)");
  EXPECT_EQ(Compare("say \"hi\"", "say 'hi'").difference, "line 1, field 2: \"\\\"\" vs \"'\"");
}

TEST(TolerantCompare, ANumberNeverAgreesWithAWord) {
  EXPECT_EQ(Compare("value 1.5\n", "value abc\n", {1, 1}).difference, "line 1, field 2: \"1.5\" vs \"abc\"");
  EXPECT_EQ(Compare("1.5s", "1.5 s").difference, "line 1, field 1: \"1.5s\" vs \"1.5\"");
  EXPECT_FALSE(Compare("+-1", "-1", {1, 1}).agree);  // one sign only
  EXPECT_TRUE(Compare("+-1", "+-1").agree);          // but equal bytes always agree
  EXPECT_EQ(Compare("word", "ward").difference, "line 1, field 1: \"word\" vs \"ward\"");
}

TEST(TolerantCompare, NanAgreesOnlyWithNanAndInfinityOnlyWithItself) {
  EXPECT_TRUE(Compare("nan", "NaN").agree);
  EXPECT_TRUE(Compare("inf -inf", "infinity -INF").agree);
  EXPECT_EQ(Compare("nan", "1", {1, 1}).difference, "line 1, field 1: \"nan\" vs \"1\" (NaN agrees only with NaN)");
  EXPECT_EQ(Compare("inf", "-inf", {1, 1}).difference,
            "line 1, field 1: \"inf\" vs \"-inf\" (an infinity agrees only with the same infinity)");
  EXPECT_FALSE(Compare("inf", "1e308", {1, 1e308}).agree);
}

TEST(TolerantCompare, ExponentAndDecimalFormsCompareByValue) {
  EXPECT_TRUE(Compare("1e3", "1000.0000001", kRelative).agree);
  EXPECT_TRUE(Compare("1E+03", "+1000", {}).agree);
  EXPECT_TRUE(Compare("2.5e-3", ".0025", {}).agree);
  EXPECT_FALSE(Compare("1e3", "1001", kRelative).agree);
  // Beyond the range of a double a token is not a number: compared as bytes.
  EXPECT_TRUE(Compare("1e400", "1e400").agree);
  EXPECT_FALSE(Compare("1e400", "1.0e400", {1, 1}).agree);
}

TEST(TolerantCompare, ANulByteMeansBinary) {
  using namespace std::string_literals;
  TextComparison c = Compare("1\0002"s, "1\0003"s);
  EXPECT_FALSE(c.agree);
  EXPECT_EQ(c.difference, "binary output differs");
  EXPECT_EQ(Compare("same\0"s, "same\0"s).difference, "binary output differs");
  EXPECT_EQ(Compare("text", "text\0"s).difference, "binary output differs");
}

TEST(TolerantCompare, NonPrintableBytesAreEscapedAndLongTokensCutInTheMessage) {
  EXPECT_EQ(Compare("caf\xc3\xa9", "cafe").difference, "line 1, field 1: \"caf\\xc3\\xa9\" vs \"cafe\"");
  std::string long_a(100, 'a'), long_b = std::string(99, 'a') + "b";
  EXPECT_EQ(Compare(long_a, long_b).difference,
            "line 1, field 1: \"" + std::string(40, 'a') + "...\" vs \"" + std::string(40, 'a') + "...\"");
}

TEST(TolerantCompare, OverLongTokensAreComparedChunkByChunk) {
  std::string huge(10000, 'x');
  EXPECT_TRUE(Compare(huge + " 1.0\n", huge + " 1.0\n").agree);
  // The tail differs, in the third chunk; the field after it is still field 2.
  EXPECT_FALSE(Compare(huge, huge.substr(1) + "y").agree);
  EXPECT_EQ(Compare(huge + " 1.0", huge + " 1.5").difference,
            "line 1, field 2: \"1.0\" vs \"1.5\" (difference 0.5, relative 0.333; tolerance relative 0, absolute 0)");
  // Equal up to the chunk size, then one goes on.
  EXPECT_EQ(Compare(std::string(4097, 'z'), std::string(4096, 'z')).difference,
            "line 1, field 1: \"" + std::string(40, 'z') + "...\" vs \"" + std::string(40, 'z') +
                "...\" (one token is longer)");
  // A long run of digits is not read as a number: only equal bytes agree.
  std::string digits = "1" + std::string(5000, '0');
  EXPECT_TRUE(Compare(digits, digits).agree);
  EXPECT_FALSE(Compare(digits, digits + "1", {1, 1}).agree);
}

// `count` lines of "i value", the values scaled by `factor`.
std::string Table(int count, double factor) {
  std::string out;
  char line[64];
  for (int i = 0; i < count; ++i) {
    std::snprintf(line, sizeof line, "%8d %14.9e\n", i, (i + 0.5) * 1.37 * factor);
    out += line;
  }
  return out;
}

TEST(TolerantCompare, ALargeOutputIsComparedToTheEnd) {
  std::string a = Table(200000, 1.0);  // 200,000 lines of 25 bytes: 5 MB
  ASSERT_GE(a.size(), 5'000'000u);
  EXPECT_TRUE(Compare(a, Table(200000, 1.0 + 1e-9), kRelative).agree);
  std::string b = a.substr(0, a.rfind('\n', a.size() - 2) + 1) + "  199999 1.0\n";  // the last line differs
  TextComparison c = Compare(a, b, kRelative);
  EXPECT_FALSE(c.agree);
  EXPECT_EQ(c.difference,
            "line 200000, field 2: \"2.739993150e+05\" vs \"1.0\" "
            "(difference 2.74e+05, relative 1; tolerance relative 1e-06, absolute 0)");
}

}  // namespace
}  // namespace gleaner::server
