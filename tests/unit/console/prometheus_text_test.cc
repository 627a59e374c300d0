#include "server/console/prometheus_text.h"

#include <gtest/gtest.h>

namespace gleaner::server {
namespace {

TEST(PrometheusText, WritesHelpTypeAndSamples) {
  PrometheusText page;
  page.Family("gleaner_tasks", "gauge", "Tasks by state.");
  page.Sample("gleaner_tasks", {{"state", "queued"}}, 3);
  page.Sample("gleaner_queue_depth", {}, 0.25);
  EXPECT_EQ(page.text(),
            "# HELP gleaner_tasks Tasks by state.\n"
            "# TYPE gleaner_tasks gauge\n"
            "gleaner_tasks{state=\"queued\"} 3\n"
            "gleaner_queue_depth 0.25\n");
}

TEST(PrometheusText, HistogramBucketsAreCumulativeWithInf) {
  Histogram h({1, 10});
  h.Observe(0.5);
  h.Observe(1);  // an upper bound is inclusive
  h.Observe(5);
  h.Observe(50);
  PrometheusText page;
  page.Histogram("x", {{"route", "sync"}}, h);
  EXPECT_EQ(page.text(),
            "x_bucket{route=\"sync\",le=\"1\"} 2\n"
            "x_bucket{route=\"sync\",le=\"10\"} 3\n"
            "x_bucket{route=\"sync\",le=\"+Inf\"} 4\n"
            "x_sum{route=\"sync\"} 56.5\n"
            "x_count{route=\"sync\"} 4\n");
}

TEST(PrometheusText, EscapesLabelValues) {
  EXPECT_EQ(EscapeLabelValue("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
}

}  // namespace
}  // namespace gleaner::server
