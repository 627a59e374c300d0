#include "examples/mosaic.h"

#include <algorithm>

#include "common/files.h"

namespace gleaner::examples {

std::filesystem::path TilePath(const std::filesystem::path& dir, int index) {
  return dir / std::to_string(index) / ("tile-" + std::to_string(index) + ".ppm");
}

Status PasteTile(const Image& tile, const TileRect& where, Image& canvas) {
  if (tile.width != where.width || tile.height != where.height) {
    return InvalidArgument("the tile is " + std::to_string(tile.width) + "x" + std::to_string(tile.height) +
                           " pixels, but its place in the image is " + std::to_string(where.width) + "x" +
                           std::to_string(where.height) + "; were grid and size the same when it was rendered?");
  }
  if (where.x + where.width > canvas.width || where.y + where.height > canvas.height) {
    return InvalidArgument("the tile does not fit inside the image");
  }
  const size_t row_bytes = size_t(tile.width) * 3;
  for (int y = 0; y < tile.height; ++y) {
    const uint8_t* from = &tile.rgb[size_t(y) * row_bytes];
    std::copy(from, from + row_bytes, canvas.Pixel(where.x, where.y + y));
  }
  return OkStatus();
}

Result<Image> AssembleMosaic(const std::filesystem::path& dir, int grid, int size) {
  GLEANER_RETURN_IF_ERROR(CheckMosaic(grid, size));
  Image canvas(size, size);
  for (int i = 0; i < grid * grid; ++i) {
    const std::string path = TilePath(dir, i).string();
    auto bytes = ReadFile(path);
    if (!bytes.ok()) {
      return InvalidArgument("tile " + std::to_string(i) + " is missing: cannot read " + path +
                             "; did every task succeed and did gleaner fetch finish?");
    }
    auto tile = DecodePpm(*bytes);
    if (!tile.ok()) return InvalidArgument(path + ": " + tile.error().message);
    auto where = TileOf(i, grid, size);
    if (!where.ok()) return where.error();
    Status pasted = PasteTile(*tile, *where, canvas);
    if (!pasted.ok()) return InvalidArgument(path + ": " + pasted.message());
  }
  return canvas;
}

}  // namespace gleaner::examples
