// The conformance suite of Store and StoreMaintenance: what every kind of
// store must do, whatever its engine. A kind of store joins it with one
// INSTANTIATE_TEST_SUITE_P(Kind, StoreConformanceTest, Values(StoreKind{…}))
// in its own test file (sqlite_store_test.cc for SQLite); the tests
// themselves are in store_conformance_test.cc.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "server/store/store_location.h"

namespace gleaner::server::testing {

struct StoreKind {
  std::string name;  // the suffix of the tests' names
  // The location of a new, empty store of this kind; `dir` is a new, empty
  // directory of the test's own (the data directory).
  std::function<StoreLocation(const std::string& dir)> new_location;
  // Why this kind cannot be tested on this machine ("" when it can); null
  // for a kind that always can. Its tests are then skipped with that reason.
  std::function<std::string()> unavailable;
};

// So a test's name and its failures show the kind of store, not its bytes.
inline void PrintTo(const StoreKind& kind, std::ostream* out) { *out << kind.name; }

class StoreConformanceTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override;
  void TearDown() override;
  // A new, empty store of the kind under test; each call names another.
  StoreLocation NewLocation();
  // The store at `where`, opened (and created when new); fails the test if it cannot.
  std::unique_ptr<Store> Open(const StoreLocation& where);

 private:
  std::vector<std::string> dirs_;
};

// For INSTANTIATE_TEST_SUITE_P: names each test after its kind of store.
inline std::string StoreKindName(const ::testing::TestParamInfo<StoreKind>& info) { return info.param.name; }

}  // namespace gleaner::server::testing
