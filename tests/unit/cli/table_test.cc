#include "cli/table.h"

#include <gtest/gtest.h>

namespace gleaner::cli {
namespace {

TEST(Table, WidthsComeFromTheWidestCell) {
  Table table({"ID", "NAME", "STATE"});
  table.AddRow({"1", "mandelbrot", "running"});
  table.AddRow({"12", "x", "done"});
  EXPECT_EQ(table.Render(),
            "ID  NAME        STATE\n"
            "1   mandelbrot  running\n"
            "12  x           done\n");
}

TEST(Table, CountsCharactersNotBytes) {
  Table table({"A", "B"});
  table.AddRow({"·", "x"});
  EXPECT_EQ(table.Render(), "A  B\n·  x\n");
}

TEST(Table, HeaderAloneWhenEmpty) { EXPECT_EQ(Table({"ID", "NAME"}).Render(), "ID  NAME\n"); }

TEST(RenderFields, AlignsValues) {
  EXPECT_EQ(RenderFields({{"state", "done"}, {"command", "echo hi"}}),
            "state:   done\n"
            "command: echo hi\n");
}

}  // namespace
}  // namespace gleaner::cli
