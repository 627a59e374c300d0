// An 8-bit RGB image in memory and its binary PPM (P6) form, the simplest
// format every image viewer and `convert` read. Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace gleaner::examples {

struct Image {
  int width = 0, height = 0;
  std::vector<uint8_t> rgb;  // row-major, 3 bytes per pixel

  Image() = default;
  Image(int w, int h) : width(w), height(h), rgb(size_t(w) * size_t(h) * 3, 0) {}
  uint8_t* Pixel(int x, int y) { return &rgb[(size_t(y) * size_t(width) + size_t(x)) * 3]; }
};

std::string EncodePpm(const Image& image);
// Reads P6 with maxval 255 (what EncodePpm writes); errors name what is off.
Result<Image> DecodePpm(std::string_view bytes);

}  // namespace gleaner::examples
