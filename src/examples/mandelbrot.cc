#include "examples/mandelbrot.h"

#include <algorithm>
#include <cmath>

namespace gleaner::examples {
namespace {

// The view: the whole set, framed with a little margin.
constexpr double kCenterRe = -0.65, kCenterIm = 0.0, kSpan = 2.9;
// Escaping at |z| = 2^8 rather than 2 makes the smooth iteration count accurate.
constexpr double kEscapeRadiusSquared = 256.0 * 256.0;

// Fractional escape count, or a negative value for points inside the set.
double SmoothIterations(double cr, double ci) {
  double zr = 0, zi = 0;
  for (int i = 0; i < kMaxIterations; ++i) {
    double zr2 = zr * zr, zi2 = zi * zi;
    if (zr2 + zi2 > kEscapeRadiusSquared) return i + 1 - std::log2(0.5 * std::log(zr2 + zi2));
    zi = 2 * zr * zi + ci;
    zr = zr2 - zi2 + cr;
  }
  return -1;
}

// The classic "Ultra Fractal" gradient: deep navy, blue, white, gold, black,
// cycled along the escape count.
struct Stop {
  double at;
  double rgb[3];
};
constexpr Stop kPalette[] = {{0.0, {0, 7, 100}},      {0.16, {32, 107, 203}}, {0.42, {237, 255, 255}},
                             {0.6425, {255, 170, 0}}, {0.8575, {0, 2, 0}},    {1.0, {0, 7, 100}}};

void Colour(double iterations, uint8_t* rgb) {
  if (iterations < 0) {
    rgb[0] = rgb[1] = rgb[2] = 0;
    return;
  }
  // The square root slows the cycling near the set, where counts climb fast;
  // the offset makes the far field navy.
  double t = std::fmod(std::sqrt(iterations) * 0.18 + 0.72, 1.0);
  const Stop* hi = kPalette + 1;
  while (hi->at < t) ++hi;
  const Stop* lo = hi - 1;
  double f = (t - lo->at) / (hi->at - lo->at);
  for (int c = 0; c < 3; ++c) {
    rgb[c] = static_cast<uint8_t>(std::lround(lo->rgb[c] + f * (hi->rgb[c] - lo->rgb[c])));
  }
}

}  // namespace

Image RenderTile(const TileRect& tile, int size) {
  Image image(tile.width, tile.height);
  const double scale = kSpan / size;
  for (int y = 0; y < tile.height; ++y) {
    double ci = kCenterIm + (size / 2.0 - (tile.y + y + 0.5)) * scale;
    for (int x = 0; x < tile.width; ++x) {
      double cr = kCenterRe + (tile.x + x + 0.5 - size / 2.0) * scale;
      Colour(SmoothIterations(cr, ci), image.Pixel(x, y));
    }
  }
  return image;
}

}  // namespace gleaner::examples
