#include "examples/mosaic.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "common/files.h"
#include "examples/mandelbrot.h"

namespace gleaner::examples {
namespace {

class MosaicTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("gleaner-mosaic-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void WriteTile(int index, const Image& tile) {
    std::filesystem::create_directories(TilePath(dir_, index).parent_path());
    ASSERT_TRUE(WriteFileDurably(TilePath(dir_, index).string(), EncodePpm(tile)).ok());
  }

  std::filesystem::path dir_;
};

TEST(PasteTile, CopiesRowsIntoPlace) {
  Image canvas(4, 4);
  Image tile(2, 1);
  tile.Pixel(0, 0)[0] = 9;
  tile.Pixel(1, 0)[0] = 8;
  ASSERT_TRUE(PasteTile(tile, {2, 3, 2, 1}, canvas).ok());
  EXPECT_EQ(canvas.Pixel(2, 3)[0], 9);
  EXPECT_EQ(canvas.Pixel(3, 3)[0], 8);
  EXPECT_EQ(canvas.Pixel(1, 3)[0], 0);
}

TEST(PasteTile, RejectsATileOfTheWrongSize) {
  Image canvas(4, 4);
  Status st = PasteTile(Image(3, 1), {0, 0, 2, 1}, canvas);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("3x1 pixels"), std::string::npos);
}

TEST_F(MosaicTest, AssemblesRenderedTilesIntoTheWholeImage) {
  const int grid = 2, size = 9;
  for (int i = 0; i < grid * grid; ++i) WriteTile(i, RenderTile(*TileOf(i, grid, size), size));
  auto image = AssembleMosaic(dir_, grid, size);
  ASSERT_TRUE(image.ok()) << image.error().message;
  EXPECT_EQ(image->rgb, RenderTile({0, 0, size, size}, size).rgb);
}

TEST_F(MosaicTest, NamesTheMissingTile) {
  WriteTile(0, Image(1, 1));
  auto image = AssembleMosaic(dir_, 2, 2);
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(image.error().message.find("tile 1 is missing"), std::string::npos);
}

}  // namespace
}  // namespace gleaner::examples
