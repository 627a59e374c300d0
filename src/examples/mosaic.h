// Puts tiles back together into the whole image. The tile files sit where
// `gleaner fetch` leaves them: DIR/<i>/tile-<i>.ppm.
#pragma once

#include <filesystem>

#include "examples/image.h"
#include "examples/tile_geometry.h"

namespace gleaner::examples {

std::filesystem::path TilePath(const std::filesystem::path& dir, int index);

// Copies `tile` into `canvas` at `where`; kInvalidArgument if the sizes disagree.
Status PasteTile(const Image& tile, const TileRect& where, Image& canvas);

// Reads all grid×grid tiles; a missing or misshapen tile is kInvalidArgument naming it.
Result<Image> AssembleMosaic(const std::filesystem::path& dir, int grid, int size);

}  // namespace gleaner::examples
