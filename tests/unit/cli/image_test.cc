#include "examples/image.h"

#include <gtest/gtest.h>

namespace gleaner::examples {
namespace {

TEST(Ppm, RoundTrips) {
  Image image(2, 1);
  image.Pixel(1, 0)[2] = 255;
  std::string bytes = EncodePpm(image);
  EXPECT_EQ(bytes.substr(0, 11), "P6\n2 1\n255\n");
  auto back = DecodePpm(bytes);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->width, 2);
  EXPECT_EQ(back->rgb, image.rgb);
}

TEST(Ppm, ReadsHeaderComments) {
  auto image = DecodePpm(std::string("P6 # made by hand\n1 1 255\n") + std::string("\x01\x02\x03", 3));
  ASSERT_TRUE(image.ok()) << image.error().message;
  EXPECT_EQ(image->rgb, (std::vector<uint8_t>{1, 2, 3}));
}

TEST(Ppm, RejectsWhatItCannotRead) {
  EXPECT_NE(DecodePpm("P3\n1 1\n255\n0 0 0").error().message.find("does not start with P6"), std::string::npos);
  EXPECT_NE(DecodePpm("P6\n1 1\n65535\n").error().message.find("maxval 65535"), std::string::npos);
  EXPECT_NE(DecodePpm("P6\n2 2\n255\nabc").error().message.find("truncated"), std::string::npos);
  EXPECT_NE(DecodePpm("P6\nx").error().message.find("header"), std::string::npos);
}

}  // namespace
}  // namespace gleaner::examples
