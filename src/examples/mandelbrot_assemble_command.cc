// gleaner example mandelbrot-assemble: joins the fetched tiles into one image.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/failure.h"
#include "common/files.h"
#include "examples/commands.h"
#include "examples/mosaic.h"

namespace gleaner::examples {
namespace {

struct AssembleOptions {
  std::string from;
  int grid = 8;
  int size = 1600;
  std::string out;
};

Status AssembleFile(const AssembleOptions& opts) {
  auto image = AssembleMosaic(opts.from, opts.grid, opts.size);
  if (!image.ok()) return image.error();
  GLEANER_RETURN_IF_ERROR(WriteFileDurably(opts.out, EncodePpm(*image)));
  std::cout << "wrote " << opts.out << " (" << opts.size << "x" << opts.size << ", " << opts.grid * opts.grid
            << " tiles)\n";
  return OkStatus();
}

}  // namespace

void AddMandelbrotAssembleCommand(CLI::App& parent, int& exit_code) {
  auto opts = std::make_shared<AssembleOptions>();
  CLI::App* cmd = parent.add_subcommand("mandelbrot-assemble", "Join DIR/<i>/tile-<i>.ppm into one image");
  cmd->add_option("--from", opts->from, "Directory that gleaner fetch filled")->required();
  cmd->add_option("--grid", opts->grid, "Tiles per side")->capture_default_str();
  cmd->add_option("--size", opts->size, "Pixels per side of the whole image")->capture_default_str();
  cmd->add_option("--out", opts->out, "PPM file to write")->required();
  cmd->callback([opts, &exit_code] { exit_code = cli::ReportOutcome(AssembleFile(*opts)); });
}

}  // namespace gleaner::examples
