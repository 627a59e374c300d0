// How a SIZE×SIZE image splits into a GRID×GRID mosaic of tiles, numbered row
// by row from the top left. Tile edges fall at k*SIZE/GRID, so any SIZE >= GRID
// works and neighbouring tiles never overlap or leave a gap.
#pragma once

#include "common/status.h"

namespace gleaner::examples {

inline constexpr int kMaxImageSize = 32768;

struct TileRect {
  int x = 0, y = 0;  // top-left pixel in the whole image
  int width = 0, height = 0;
};

// kInvalidArgument unless 1 <= grid <= size <= kMaxImageSize.
Status CheckMosaic(int grid, int size);
// Tile `index` (0 <= index < grid*grid) of the mosaic.
Result<TileRect> TileOf(int index, int grid, int size);

}  // namespace gleaner::examples
