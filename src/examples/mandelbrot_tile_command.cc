// gleaner example mandelbrot-tile: renders one tile of the demo image; the
// body of each task in the demo job.
#include <CLI/CLI.hpp>

#include "cli/failure.h"
#include "common/files.h"
#include "examples/commands.h"
#include "examples/image.h"
#include "examples/mandelbrot.h"

namespace gleaner::examples {
namespace {

struct TileOptions {
  int index = 0;
  int grid = 8;
  int size = 1600;
  std::string out;
};

Status RenderTileFile(const TileOptions& opts) {
  auto tile = TileOf(opts.index, opts.grid, opts.size);
  if (!tile.ok()) return tile.error();
  return WriteFileDurably(opts.out, EncodePpm(RenderTile(*tile, opts.size)));
}

}  // namespace

void AddMandelbrotTileCommand(CLI::App& parent, int& exit_code) {
  auto opts = std::make_shared<TileOptions>();
  CLI::App* cmd = parent.add_subcommand("mandelbrot-tile", "Render tile I of a GxG grid of an SxS Mandelbrot image");
  cmd->add_option("--index", opts->index, "Tile index, row by row from the top left")->required();
  cmd->add_option("--grid", opts->grid, "Tiles per side")->capture_default_str();
  cmd->add_option("--size", opts->size, "Pixels per side of the whole image")->capture_default_str();
  cmd->add_option("--out", opts->out, "PPM file to write")->required();
  cmd->callback([opts, &exit_code] { exit_code = cli::ReportOutcome(RenderTileFile(*opts)); });
}

}  // namespace gleaner::examples
