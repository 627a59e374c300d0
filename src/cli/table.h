// Plain-text layout for the listing commands: a table whose column widths
// come from its content, and aligned "key: value" lines for one object.
// Widths count UTF-8 characters, not bytes; lines carry no trailing spaces.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace gleaner::cli {

class Table {
 public:
  explicit Table(std::vector<std::string> header);

  // REQUIRES: as many cells as the header has columns.
  void AddRow(std::vector<std::string> cells);
  // The header and every row, columns two spaces apart, each line ending in '\n'.
  std::string Render() const;

 private:
  std::vector<std::vector<std::string>> rows_;  // rows_[0] is the header
};

// One line per field, values aligned after the longest key.
std::string RenderFields(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace gleaner::cli
