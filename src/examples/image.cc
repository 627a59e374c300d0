#include "examples/image.h"

#include <cctype>

namespace gleaner::examples {
namespace {

// Reads the next whitespace-separated decimal of a PPM header, skipping comments.
bool NextNumber(std::string_view bytes, size_t& pos, int& out) {
  while (pos < bytes.size()) {
    if (bytes[pos] == '#') {
      while (pos < bytes.size() && bytes[pos] != '\n') ++pos;
    } else if (std::isspace(static_cast<unsigned char>(bytes[pos]))) {
      ++pos;
    } else {
      break;
    }
  }
  int64_t value = 0;
  size_t start = pos;
  while (pos < bytes.size() && std::isdigit(static_cast<unsigned char>(bytes[pos])) && value <= 1'000'000) {
    value = value * 10 + (bytes[pos++] - '0');
  }
  out = static_cast<int>(value);
  return pos > start && value <= 1'000'000;
}

}  // namespace

std::string EncodePpm(const Image& image) {
  std::string out = "P6\n" + std::to_string(image.width) + " " + std::to_string(image.height) + "\n255\n";
  out.append(reinterpret_cast<const char*>(image.rgb.data()), image.rgb.size());
  return out;
}

Result<Image> DecodePpm(std::string_view bytes) {
  if (!bytes.starts_with("P6")) return InvalidArgument("not a binary PPM image (it does not start with P6)");
  size_t pos = 2;
  int width = 0, height = 0, maxval = 0;
  if (!NextNumber(bytes, pos, width) || !NextNumber(bytes, pos, height) || !NextNumber(bytes, pos, maxval)) {
    return InvalidArgument("the PPM header is malformed");
  }
  if (maxval != 255) return InvalidArgument("only 8-bit PPM images are supported, this one has maxval " +
                                            std::to_string(maxval));
  ++pos;  // the single whitespace byte that ends the header
  Image image(width, height);
  if (bytes.size() < pos || bytes.size() - pos != image.rgb.size()) {
    return InvalidArgument("the PPM image is truncated or has trailing bytes");
  }
  std::copy(bytes.begin() + pos, bytes.end(), image.rgb.begin());
  return image;
}

}  // namespace gleaner::examples
