// Renders one tile of a fixed view of the Mandelbrot set, with smooth
// (continuous escape-time) colouring. Deterministic: a tile's bytes depend only
// on its rectangle and the image size, so retried tasks give identical output.
#pragma once

#include "examples/image.h"
#include "examples/tile_geometry.h"

namespace gleaner::examples {

// Enough to make each tile of the demo take a noticeable fraction of a second.
inline constexpr int kMaxIterations = 2000;

// The pixels of `tile` within a size×size picture of the set.
Image RenderTile(const TileRect& tile, int size);

}  // namespace gleaner::examples
