#include "examples/tile_geometry.h"

#include <string>

namespace gleaner::examples {

Status CheckMosaic(int grid, int size) {
  if (grid < 1 || size < grid || size > kMaxImageSize) {
    return InvalidArgument("a " + std::to_string(grid) + "x" + std::to_string(grid) + " grid of a " +
                           std::to_string(size) + "px image does not work; use 1 <= grid <= size <= " +
                           std::to_string(kMaxImageSize));
  }
  return OkStatus();
}

Result<TileRect> TileOf(int index, int grid, int size) {
  GLEANER_RETURN_IF_ERROR(CheckMosaic(grid, size));
  if (index < 0 || index >= grid * grid) {
    return InvalidArgument("tile index " + std::to_string(index) + " is outside the " + std::to_string(grid) +
                           "x" + std::to_string(grid) + " grid; use 0 to " + std::to_string(grid * grid - 1));
  }
  // 64-bit products: size * grid can pass 2^31 for large images.
  auto edge = [&](int k) { return static_cast<int>(int64_t{k} * size / grid); };
  int col = index % grid, row = index / grid;
  return TileRect{edge(col), edge(row), edge(col + 1) - edge(col), edge(row + 1) - edge(row)};
}

}  // namespace gleaner::examples
