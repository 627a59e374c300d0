#include "server/console/static_assets.h"

#include <gtest/gtest.h>

namespace gleaner::server {
namespace {

TEST(StaticAssets, TheRootIsTheEmbeddedIndexPage) {
  const Asset* index = FindAsset("/");
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  EXPECT_NE(index->body.find("<title>Gleaner console</title>"), std::string_view::npos);
  EXPECT_EQ(index->etag.front(), '"');
  EXPECT_EQ(FindAsset("/index.html"), nullptr) << "one URL per page";
}

TEST(StaticAssets, AssetsAreServedWithTheirTypes) {
  const Asset* app = FindAsset("/assets/app.js");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->content_type, "text/javascript; charset=utf-8");
  const Asset* css = FindAsset("/assets/style.css");
  ASSERT_NE(css, nullptr);
  EXPECT_EQ(css->content_type, "text/css; charset=utf-8");
  EXPECT_NE(app->etag, css->etag);
}

TEST(StaticAssets, UnknownAndEscapingPathsFindNothing) {
  EXPECT_EQ(FindAsset("/assets/nope.js"), nullptr);
  EXPECT_EQ(FindAsset("/assets/../index.html"), nullptr);
  EXPECT_EQ(FindAsset(""), nullptr);
}

TEST(StaticAssets, ContentTypesByExtension) {
  EXPECT_EQ(ContentTypeOf("a.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeOf("README"), "application/octet-stream");
}

}  // namespace
}  // namespace gleaner::server
