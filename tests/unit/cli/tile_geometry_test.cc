#include "examples/tile_geometry.h"

#include <gtest/gtest.h>

namespace gleaner::examples {
namespace {

TEST(TileOf, RowByRowFromTheTopLeft) {
  auto t = TileOf(9, 8, 1600);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->x, 200);
  EXPECT_EQ(t->y, 200);
  EXPECT_EQ(t->width, 200);
  EXPECT_EQ(t->height, 200);
}

TEST(TileOf, UnevenSizesTileWithoutGapsOrOverlap) {
  const int grid = 3, size = 10;
  std::vector<int> covered(size * size, 0);
  for (int i = 0; i < grid * grid; ++i) {
    auto t = TileOf(i, grid, size);
    ASSERT_TRUE(t.ok());
    for (int y = t->y; y < t->y + t->height; ++y)
      for (int x = t->x; x < t->x + t->width; ++x) ++covered[y * size + x];
  }
  for (int c : covered) EXPECT_EQ(c, 1);
}

TEST(TileOf, RejectsAnIndexOutsideTheGrid) {
  auto t = TileOf(64, 8, 1600);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(t.error().message.find("use 0 to 63"), std::string::npos);
  EXPECT_FALSE(TileOf(-1, 8, 1600).ok());
}

TEST(CheckMosaic, GridMustFitTheImage) {
  EXPECT_TRUE(CheckMosaic(8, 1600).ok());
  EXPECT_FALSE(CheckMosaic(0, 1600).ok());
  EXPECT_FALSE(CheckMosaic(8, 4).ok());
  EXPECT_FALSE(CheckMosaic(1, kMaxImageSize + 1).ok());
}

}  // namespace
}  // namespace gleaner::examples
